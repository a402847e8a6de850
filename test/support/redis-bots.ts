/**
 * Several bots (the real app, createApp) on one Redis store, logged in to one Discord double and
 * talking to one VirusTotal double: what several processes of one bot look like, in one test
 * process. A real redis-server is started on loopback and stopped at the end.
 */
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { logSink } from './bot.js';
import { startDiscordDouble, type DiscordDouble } from './discord-double.js';
import { startRedis, type RedisServer } from './redis.js';
import { startVtDouble, type VtDouble, type VtDoubleOptions } from './vt-double.js';
import { doublesEnv } from './doubles-env.js';

export interface RedisBots {
  redis: RedisServer;
  discord: DiscordDouble;
  vt: VtDouble;
  config: Config;
  apps: App[];
  /** Parsed log lines of every app, by app index. */
  logs: Record<string, unknown>[][];
  /** Starts one more app on the same Redis and doubles. */
  add(): Promise<App>;
  close(): Promise<void>;
}

export interface RedisBotsOptions {
  count?: number;
  vt?: Partial<VtDoubleOptions>;
  env?: Record<string, string>;
  app?: Omit<AppOptions, 'logDestination'>;
  aof?: boolean;
}

export async function startRedisBots(options: RedisBotsOptions = {}): Promise<RedisBots> {
  const redis = await startRedis({ aof: options.aof ?? false });
  const discord = await startDiscordDouble();
  const vt = await startVtDouble({ perWindow: 10_000, pollsUntilComplete: 1, ...options.vt });
  const config = loadConfig({
    ...doublesEnv(discord, vt),
    STORE_URL: redis.url,
    VT_RATE_PER_MINUTE: '10000',
    VT_POLL_MS: '10',
    MAX_FILE_MB: '1',
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const bots: RedisBots = {
    redis,
    discord,
    vt,
    config,
    apps: [],
    logs: [],
    async add() {
      const lines: Record<string, unknown>[] = [];
      const app = await createApp(config, { jobLeaseMs: 1000, ...options.app, logDestination: logSink(lines) });
      await app.start();
      await discord.ready();
      bots.apps.push(app);
      bots.logs.push(lines);
      return app;
    },
    async close() {
      await Promise.all(bots.apps.map((app) => app.stop()));
      await Promise.all([discord.close(), vt.close()]);
      await redis.close();
    },
  };
  for (let i = 0; i < (options.count ?? 2); i++) await bots.add();
  return bots;
}

/** Waits until `check` holds, polling every 20 ms, or throws after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${String(ms)} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
