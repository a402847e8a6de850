import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, DiscordAPIError, EmbedBuilder, Events, MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { Message } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordDouble } from '../discord-double.js';
import type { DiscordDouble, DiscordDoubleOptions } from '../discord-double.js';
import { connect, createClient, track } from './client.js';

let double: DiscordDouble | undefined;
const clients: Client[] = [];

async function setUp(options: DiscordDoubleOptions = {}): Promise<{ d: DiscordDouble; client: Client<true> }> {
  const d = await startDiscordDouble(options);
  double = d;
  return { d, client: await connect(d, track(clients, createClient(d))) };
}

async function sendable(client: Client<true>, channelId: string) {
  const channel = await client.channels.fetch(channelId);
  if (!channel?.isSendable()) throw new Error(`Expected ${channelId} to be a sendable channel`);
  return channel;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await double?.close();
  double = undefined;
});

describe('discord double: Discord rules the bot can trip over', () => {
  it('rejects an embed over Discord limits with 50035 and the field path', async () => {
    const { d, client } = await setUp();
    const channel = await sendable(client, d.channels.general);
    // A raw embed: discord.js's EmbedBuilder would refuse this before it reaches the wire.
    const error = await channel.send({ embeds: [{ description: 'x'.repeat(4097) }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50035, status: 400 });
    expect((error as DiscordAPIError).message).toContain('embeds[0].description[BASE_TYPE_MAX_LENGTH]');
  });

  it('enforces the bot role: no delete without Manage Messages, embeds dropped without Embed Links', async () => {
    const { d, client } = await setUp({
      everyonePermissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ReadMessageHistory,
      botRolePermissions: 0n,
    });
    const posted = await d.postMessage({ author: d.members.member, content: 'bad link' });
    const channel = await sendable(client, d.channels.general);
    await expect(channel.messages.delete(posted.id)).rejects.toMatchObject({ code: 50013, status: 403 });
    const sent = await channel.send({ content: 'report', embeds: [new EmbedBuilder().setTitle('verdict')] });
    expect(sent.embeds).toHaveLength(0);
  });

  it('answers 10062 when the bot acknowledges after the window', async () => {
    const { d, client } = await setUp({ interactionAckTimeoutMs: 50 });
    const failed = new Promise<unknown>((resolve) => {
      client.on(Events.InteractionCreate, (i) => {
        if (i.isChatInputCommand()) void sleep(120).then(() => i.deferReply()).catch(resolve);
      });
    });
    await d.runCommand({ member: d.members.member, name: 'vt', subcommand: 'quota' });
    expect(await failed).toMatchObject({ code: 10062, status: 404 });
  });

  it('fills the deferred "thinking" message with the first follow-up and returns it with_response', async () => {
    const { d, client } = await setUp();
    const done = new Promise<[string | undefined, string]>((resolve) => {
      client.on(Events.InteractionCreate, (i) => {
        if (!i.isChatInputCommand()) return;
        void (async () => {
          const response = await i.deferReply({ withResponse: true });
          const followUp = await i.followUp({ content: 'result' });
          resolve([response.resource?.message?.id, followUp.id]);
        })();
      });
    });
    const handle = await d.runCommand({ member: d.members.member, name: 'vt', subcommand: 'quota' });
    const [deferredId, followUpId] = await done;
    expect(followUpId).toBe(deferredId);
    expect(d.callsFor(handle)[0]?.query).toEqual({ with_response: 'true' });
    expect(d.message(followUpId)?.message).toMatchObject({ content: 'result', flags: 0, interaction_metadata: { id: handle.id } });
  });

  it('parses multipart uploads (payload_json + files) and serves the uploaded file from its CDN', async () => {
    const { d, client } = await setUp();
    const channel = await sendable(client, d.channels.log);
    const sent = await channel.send({ content: 'details', files: [{ attachment: Buffer.from('engine table'), name: 'details.txt' }] });
    const call = await d.waitForCall('POST', `/channels/${d.channels.log}/messages`);
    expect(call.body).toMatchObject({ content: 'details', attachments: [{ id: '0' }] });
    expect(sent.attachments.first()?.name).toBe('details.txt');
    expect(call.files).toEqual([expect.objectContaining({ field: 'files[0]', filename: 'details.txt', size: 12 })]);
    const url = sent.attachments.first()?.url ?? '';
    expect(await (await fetch(url)).text()).toBe('engine table');
  });

  it('streams attachments slowly and records a download the client gave up on', async () => {
    const { d } = await setUp({ cdn: { chunkSize: 1024, chunkDelayMs: 20 } });
    const posted = await d.postMessage({ author: d.members.member, attachments: [{ filename: 'big.bin', bytes: Buffer.alloc(64 * 1024) }] });
    const controller = new AbortController();
    const response = await fetch(posted.attachments[0]?.url ?? '', { signal: controller.signal });
    expect(response.headers.get('content-length')).toBe(String(64 * 1024));
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    await expect.poll(() => d.cdnHits[0]?.aborted).toBe(true);
    expect(d.cdnHits[0]?.bytesSent).toBeLessThan(64 * 1024);
  });

  it('puts a foreign host in attachment URLs when asked, without serving it', async () => {
    const { d, client } = await setUp();
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;
    await d.postMessage({ author: d.members.member, attachments: [{ filename: 'x.exe', bytes: Buffer.from('MZ'), host: 'cdn.evil.example' }] });
    const [message] = await received;
    expect(new URL(message.attachments.first()?.url ?? '').host).toBe('cdn.evil.example');
    expect(d.cdnHits).toEqual([]);
  });

  it('delivers forwarded messages with their snapshots, and edits as messageUpdate', async () => {
    const { d, client } = await setUp();
    const created = once(client, Events.MessageCreate) as Promise<[Message]>;
    const posted = await d.postMessage({
      author: d.members.member, messageSnapshots: [{ content: 'fwd https://evil.example', attachments: [{ filename: 'a.txt', bytes: Buffer.from('a') }] }],
    });
    const [message] = await created;
    const snapshot = message.messageSnapshots.first();
    expect(snapshot?.content).toBe('fwd https://evil.example');
    expect(snapshot?.attachments.first()?.name).toBe('a.txt');

    const updated = once(client, Events.MessageUpdate) as Promise<[Message, Message]>;
    await d.editMessage({ messageId: posted.id, content: 'now https://other.example' });
    expect((await updated)[1].content).toBe('now https://other.example');
  });

  it('acknowledges heartbeats so the client measures its ping', async () => {
    const { d, client } = await setUp({ heartbeatIntervalMs: 40 });
    await expect.poll(() => d.gateway.heartbeats, { timeout: 3000 }).toBeGreaterThanOrEqual(2);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('rejects an invalid command name with 50035, so registration failures can be tested', async () => {
    const { d, client } = await setUp();
    const error = await client.application.commands.set([{ name: 'VT Scan', description: 'bad' }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 50035, status: 400 });
    expect(d.registeredCommands).toEqual([]);
  });

  it('edits the message a button was on when the bot answers with update (type 7)', async () => {
    const { d, client } = await setUp();
    const channel = await sendable(client, d.channels.general);
    const report = await channel.send({ content: 'votes: 0', components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'vote:up:1', label: 'Vote' }] }] });
    client.on(Events.InteractionCreate, (i) => {
      if (i.isButton()) void i.update({ content: 'votes: 1' });
    });
    const handle = await d.pressButton({ member: d.members.moderator, message: report.id, customId: 'vote:up:1' });
    await d.waitFor((c) => c.path.includes(handle.id));
    expect(d.message(report.id)?.message.content).toBe('votes: 1');
    expect(d.message(report.id)?.history[0]?.content).toBe('votes: 0');
  });

  it('rate-limits an interaction callback and discord.js still acknowledges in time', async () => {
    const { d, client } = await setUp();
    d.rateLimitNext({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, retryAfter: 0.1 });
    client.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand()) void i.deferReply();
    });
    const handle = await d.runCommand({ member: d.members.member, name: 'vt', subcommand: 'quota' });
    await d.waitFor((c) => c.path.includes(handle.id) && c.status === 204);
    expect(d.callsFor(handle).map((c) => c.status)).toEqual([429, 204]);
  });

  it('replies to an interaction ephemerally without echoing it to the gateway', async () => {
    const { d, client } = await setUp();
    const seen: string[] = [];
    client.on(Events.MessageCreate, (m) => seen.push(m.content));
    client.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand()) void i.reply({ content: 'only you', flags: MessageFlags.Ephemeral });
    });
    const handle = await d.runCommand({ member: d.members.member, name: 'vt', subcommand: 'quota' });
    await d.waitFor((c) => c.path.includes(handle.id));
    expect(d.messages(d.channels.general).at(-1)).toMatchObject({ content: 'only you', flags: MessageFlags.Ephemeral });
    await sleep(50);
    expect(seen).toEqual([]);
  });
});
