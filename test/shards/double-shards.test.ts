/**
 * The Discord double shards as Discord does: IDENTIFY's `shard` decides which guilds a session gets
 * (`(guild_id >> 22) % shard_count`), GET /gateway/bot reports the shard count, and a bad shard is refused.
 * Two unmodified discord.js clients, one per shard, prove it.
 */
import { Client, Events, GatewayIntentBits, type Message } from 'discord.js';
import { GatewayCloseCodes } from 'discord-api-types/v10';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double.js';

let double: DiscordDouble;
const clients: Client[] = [];
const seen: Message[][] = [[], []];

function shardClient(id: number, count: number): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    rest: { api: double.apiUrl }, shards: [id], shardCount: count,
  });
}

beforeAll(async () => {
  double = await startDiscordDouble({ shards: 2, guilds: 2 });
  for (const id of [0, 1]) {
    const client = shardClient(id, 2);
    client.on(Events.MessageCreate, (m) => seen[id]?.push(m));
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(double.token);
    await ready;
    clients.push(client);
  }
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()));
  await double.close();
});

describe('a sharded Discord double', () => {
  it('puts one guild on each shard and reports two shards on GET /gateway/bot', async () => {
    const [first, second] = double.guilds;
    expect(double.shardOf(first?.id ?? '', 2)).toBe(0);
    expect(double.shardOf(second?.id ?? '', 2)).toBe(1);
    const response = await fetch(`${double.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${double.token}` } });
    expect(((await response.json()) as { shards: number }).shards).toBe(2);
  });

  it('honours the shard in IDENTIFY: each session gets only its own guilds', () => {
    expect(double.gateway.identifies.map((i) => i.shard)).toEqual([[0, 2], [1, 2]]);
    expect(clients.map((c) => [...c.guilds.cache.keys()])).toEqual([[double.guilds[0]?.id], [double.guilds[1]?.id]]);
  });

  it("routes a guild's messages to the shard that runs it, and only there", async () => {
    for (const [index, guild] of double.guilds.entries()) {
      await double.postMessage({ author: guild.members.member, channelId: guild.channels.general, content: `hello ${String(index)}` });
    }
    await expect.poll(() => seen.map((list) => list.map((m) => m.content))).toEqual([['hello 0'], ['hello 1']]);
    expect(seen[1]?.[0]?.guildId).toBe(double.guilds[1]?.id);
  });

  it('refuses a shard id outside the count with 4010', async () => {
    const socket = new WebSocket(double.gatewayUrl);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('open', () => socket.send(JSON.stringify({ op: 2, d: { token: double.token, intents: 513, properties: {}, shard: [2, 2] } })));
    expect(await closed).toBe(GatewayCloseCodes.InvalidShard);
  });
});
