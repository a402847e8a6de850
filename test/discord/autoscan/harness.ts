/**
 * The real bot (createApp from src/app.ts) logged in to the Discord double, talking to the VT
 * double, on a temporary SQLite store that a restarted bot can reopen.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { APIMessage } from 'discord.js';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { autoScanIdle } from '../../../src/discord/listeners/index.js';
import type { SettingName, SettingValue } from '../../../src/store/settings.js';
import { startDiscordDouble, type DiscordDouble } from '../../support/discord-double.js';
import { startVtDouble, type VtDouble } from '../../support/vt-double.js';

export interface Harness {
  discord: DiscordDouble;
  vt: VtDouble;
  app: App;
  /** Parsed log lines of every bot started by this harness. */
  logs: Record<string, unknown>[];
  set<N extends SettingName>(name: N, value: SettingValue<N>): Promise<void>;
  /** Waits until the bot has seen `message` (as posted or edited) and every auto-scan is over. */
  settled(message: APIMessage): Promise<void>;
  /** Bot messages in a channel that reply to `messageId`. */
  repliesTo(messageId: string, channelId?: string): APIMessage[];
  /** Stops the bot (as a crash would, jobs stay stored) and starts a new one on the same store. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const discord = await startDiscordDouble();
  const vt = await startVtDouble({ perWindow: 10_000, pollsUntilComplete: 1 });
  const dir = await mkdtemp(join(tmpdir(), 'vt-guard-autoscan-'));
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({
    DISCORD_TOKEN: discord.token,
    VT_API_KEY: vt.apiKey,
    VT_API_URL: vt.origin,
    DISCORD_API_URL: discord.apiUrl,
    ATTACHMENT_HOSTS: discord.cdnHost,
    STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
    VT_RATE_PER_MINUTE: '10000',
    VT_POLL_MS: '10',
    MAX_FILE_MB: '1',
    LOG_LEVEL: 'info',
  });
  const boot = async (): Promise<App> => {
    const app = await createApp(config, { logDestination: sink });
    await app.start();
    return app;
  };
  const h: Harness = {
    discord, vt, logs,
    app: await boot(),
    async set(name, value) {
      await h.app.ctx.store.settings.set(discord.guild.id, name, value);
    },
    async settled(message) {
      const client = h.app.client;
      if (!client) throw new Error('Expected a started bot');
      const deadline = Date.now() + 5_000;
      // discord.js caches (or patches) the message before it emits the event our listener handles.
      const seen = (): boolean => {
        const channel = client.channels.cache.get(message.channel_id);
        const cached = channel?.isTextBased() === true ? channel.messages.cache.get(message.id) : undefined;
        const urls = (embeds: readonly { url?: string | null | undefined }[]): string => embeds.map((e) => e.url ?? '').join(' ');
        return cached !== undefined && cached.content === message.content && urls(cached.embeds) === urls(message.embeds);
      };
      while (!seen()) {
        if (Date.now() > deadline) throw new Error(`Expected the bot to see message ${message.id}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await autoScanIdle(client);
    },
    repliesTo(messageId, channelId = discord.channels.general) {
      return discord.messages(channelId).filter((m) => m.author.id === discord.botUser.id && m.message_reference?.message_id === messageId);
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
