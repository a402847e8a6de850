/**
 * The real bot (createApp) logged in to the Discord double and talking to the VT double, plus the
 * helpers command tests need: the REST calls made for an interaction, and its latest reply.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { APIEmbed, APIMessage } from 'discord-api-types/v10';
import { expect } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { startDiscordDouble, type DiscordDouble, type InteractionHandle, type RecordedCall } from '../../support/discord-double.js';
import { startVtDouble, type VtDouble } from '../../support/vt-double.js';

export interface CommandHarness {
  discord: DiscordDouble;
  vt: VtDouble;
  app: App;
  logs: Record<string, unknown>[];
  /** Resolves with the first body sent for `handle` (callback, edit or follow-up) that `match` accepts. */
  sent(handle: InteractionHandle, match: (body: MessageBody) => boolean, timeoutMs?: number): Promise<RecordedCall & { body: MessageBody }>;
  /** Stops the bot and starts a new one on the same store and doubles. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: { custom_id?: string; url?: string; label?: string; type: number }[] }[];
  flags?: number;
  allowed_mentions?: { parse?: string[] };
  type?: number;
  data?: MessageBody;
}

/** The message fields of a callback (`{type, data}`) or of a webhook edit/follow-up. */
export function messageOf(body: unknown): MessageBody {
  const b = (body ?? {}) as MessageBody;
  return b.data !== undefined && typeof b.type === 'number' ? b.data : b;
}

export function embedText(body: MessageBody): string {
  return JSON.stringify(body.embeds ?? []);
}

export interface HarnessOptions {
  beforeStart?: (discord: DiscordDouble) => void;
  /** Extra environment for the bot (e.g. `VT_API_VERSION: '2'`). */
  env?: Record<string, string>;
}

export async function startCommandHarness(options: HarnessOptions = {}): Promise<CommandHarness> {
  const discord = await startDiscordDouble();
  options.beforeStart?.(discord);
  const vt = await startVtDouble({ perWindow: 10_000, pollsUntilComplete: 2 });
  const dir = await mkdtemp(join(tmpdir(), 'vt-guard-commands-'));
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({
    DISCORD_TOKEN: discord.token, VT_API_KEY: vt.apiKey, VT_API_URL: vt.origin, DISCORD_API_URL: discord.apiUrl,
    ATTACHMENT_HOSTS: discord.cdnHost, STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
    VT_RATE_PER_MINUTE: '10000', VT_POLL_MS: '10', MAX_FILE_MB: '1', LOG_LEVEL: 'info',
    ...options.env,
  });
  const boot = async (): Promise<App> => {
    const app = await createApp(config, { logDestination: sink });
    await app.start();
    await discord.ready();
    return app;
  };
  const h: CommandHarness = {
    discord, vt, logs, app: await boot(),
    async sent(handle, match, timeoutMs = 8000) {
      const call = await discord.waitFor((c) => discord.callsFor(handle).includes(c) && match(messageOf(c.body)), timeoutMs);
      return { ...call, body: messageOf(call.body) };
    },
    async restart() {
      await h.app.stop();
      h.app = await boot();
    },
    async close() {
      await h.app.stop();
      await Promise.all([discord.close(), vt.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** The message an interaction's response created or edited (from the double's answer). */
export function responseMessage(call: RecordedCall): APIMessage {
  const answer = call.response as { resource?: { message?: APIMessage } } & Partial<APIMessage>;
  const message = answer.resource?.message ?? (answer.id === undefined ? undefined : (answer as APIMessage));
  if (message === undefined) throw new Error(`Expected a message in the answer to ${call.method} ${call.path}`);
  return message;
}

/** Every REST body the bot sent with content or embeds carried `allowed_mentions.parse: []`. */
export function expectNoPings(h: CommandHarness): void {
  const sent = h.discord.calls.map((c) => ({ c, m: messageOf(c.body) })).filter(({ m }) => m.content !== undefined || m.embeds !== undefined);
  expect(sent.length).toBeGreaterThan(3);
  for (const { c, m } of sent) expect(m.allowed_mentions, `${c.method} ${c.path}`).toMatchObject({ parse: [] });
}
