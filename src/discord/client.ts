/**
 * The discord.js client: which intents and defaults the bot runs with, and a login that keeps slash
 * commands working when Discord refuses the privileged Message Content intent.
 */
import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

const BASE_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];

/** Builds a client; `messageContent: false` leaves out the privileged intent. */
export function createDiscordClient(config: Config, messageContent = true): Client {
  return new Client({
    intents: messageContent ? [...BASE_INTENTS, GatewayIntentBits.MessageContent] : BASE_INTENTS,
    // Edits of messages sent before the bot started arrive as partials; fetch them when needed.
    partials: [Partials.Message, Partials.Channel],
    // Replies never ping: the default for every send, besides the explicit value on each reply.
    allowedMentions: { parse: [], repliedUser: false },
    rest: { api: config.discordApiUrl },
  });
}

export interface LoggedIn {
  client: Client;
  /** False when Discord refused the Message Content intent: auto-scan then sees no message text. */
  messageContent: boolean;
}

/**
 * Logs in; `wire` attaches listeners to the client before it connects (and to the replacement
 * client if the first login is refused for the Message Content intent).
 */
export async function loginDiscord(config: Config, log: Logger, wire: (client: Client) => void): Promise<LoggedIn> {
  const client = createDiscordClient(config, true);
  wire(client);
  try {
    await client.login(config.discordToken);
    return { client, messageContent: true };
  } catch (error) {
    await client.destroy();
    if (!isDisallowedIntents(error)) throw error;
    log.error(
      'Discord refused the Message Content intent: enable "Message Content Intent" for this bot in the Discord developer portal (Applications → your bot → Bot → Privileged Gateway Intents) and restart. Slash commands keep working; auto-scan of message text is off until then.',
    );
    const fallback = createDiscordClient(config, false);
    wire(fallback);
    await fallback.login(config.discordToken);
    return { client: fallback, messageContent: false };
  }
}

function isDisallowedIntents(error: unknown): boolean {
  return error instanceof Error && /disallowed intents/i.test(error.message);
}
