/**
 * The real bot (createApp from src/app.ts) logged in to the Discord double and talking to the VT
 * double, on a temporary SQLite store that a restarted bot reopens. Every end-to-end test starts
 * the bot through here, so all of them run the very wiring `npm start` runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startDiscordDouble, type DiscordDouble, type DiscordDoubleOptions } from './discord-double.js';
import { startVtDouble, type VtDouble, type VtDoubleOptions } from './vt-double.js';
import { doublesEnv } from './doubles-env.js';

export interface Bot {
  discord: DiscordDouble;
  vt: VtDouble;
  app: App;
  config: Config;
  /** Parsed log lines of every bot started here. */
  logs: Record<string, unknown>[];
  /** Stops the bot (unfinished jobs stay stored, as after a crash) and starts a new one on the same store. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface BotOptions {
  discord?: DiscordDoubleOptions;
  vt?: Partial<VtDoubleOptions>;
  /** Called before the bot starts (e.g. to inject faults into the doubles). */
  beforeStart?: (discord: DiscordDouble, vt: VtDouble) => void;
  /** Extra environment for the bot (e.g. `VT_API_VERSION: '2'`), or a function of the doubles. */
  env?: Record<string, string> | ((discord: DiscordDouble, vt: VtDouble) => Record<string, string>);
  /** Options of createApp besides the log destination (e.g. a millisecond retry backoff). */
  app?: Omit<AppOptions, 'logDestination'>;
}

/** An in-memory pino destination that parses each line. */
export function logSink(lines: Record<string, unknown>[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
}

export async function startBot(options: BotOptions = {}): Promise<Bot> {
  const discord = await startDiscordDouble(options.discord);
  const vt = await startVtDouble({ perWindow: 10_000, pollsUntilComplete: 1, ...options.vt });
  options.beforeStart?.(discord, vt);
  const dir = await mkdtemp(join(tmpdir(), 'vt-guard-bot-'));
  const logs: Record<string, unknown>[] = [];
  const sink = logSink(logs);
  const config = loadConfig({
    ...doublesEnv(discord, vt),
    STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
    VT_RATE_PER_MINUTE: '10000',
    VT_POLL_MS: '10',
    MAX_FILE_MB: '1',
    LOG_LEVEL: 'info',
    ...(typeof options.env === 'function' ? options.env(discord, vt) : options.env),
  });
  const boot = async (): Promise<App> => {
    const app = await createApp(config, { ...options.app, logDestination: sink });
    await app.start();
    await discord.ready();
    return app;
  };
  const bot: Bot = {
    discord,
    vt,
    config,
    logs,
    app: await boot(),
    async restart() {
      await bot.app.stop();
      bot.app = await boot();
    },
    async close() {
      await bot.app.stop();
      await Promise.all([discord.close(), vt.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return bot;
}
