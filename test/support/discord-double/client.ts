/** The real discord.js client, pointed at a double the way the bot is (`rest.api` = DISCORD_API_URL). */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { DiscordDouble } from '../discord-double.js';

export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

export function createClient(double: DiscordDouble, intents: GatewayIntentBits[] = INTENTS): Client {
  return new Client({ intents, rest: { api: double.apiUrl } });
}

/** Logs in and waits for `clientReady`, which discord.js emits only after GUILD_CREATE (login resolves on READY). */
export async function connect(double: DiscordDouble, client: Client): Promise<Client<true>> {
  const ready = once(client, Events.ClientReady);
  await client.login(double.token);
  await ready;
  if (!client.isReady()) throw new Error('Expected the client to be ready after clientReady');
  return client;
}

/** Remembers a client so afterEach can destroy it (an open gateway socket would keep vitest alive). */
export function track(list: Client[], client: Client): Client {
  list.push(client);
  return client;
}
