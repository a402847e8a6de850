/**
 * The config contract (README.md "Configuration"): environment → typed Config, parsed once. The only module that
 * reads `process.env`. Every problem is listed at once so a moderator fixes them in one go.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const positiveInt = (fallback: number) =>
  z.coerce.number({ error: 'must be a whole number, e.g. 4' }).int('must be a whole number, e.g. 4').positive('must be greater than 0').default(fallback);

const HOSTS_HINT = 'must be a comma-separated list of host or host:port, e.g. cdn.discordapp.com,media.discordapp.net';

/** `host` or `host:port`, lower-case. */
const hostList = z
  .string()
  .transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== ''))
  .pipe(
    z
      .array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/, HOSTS_HINT))
      .min(1, HOSTS_HINT),
  );

const origin = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. ' + fallback })
    .default(fallback)
    .transform((u) => u.replace(/\/+$/, ''));

const schema = z.object({
  DISCORD_TOKEN: z.string({ error: 'is required: the bot token from the Discord developer portal' }).min(1, 'is required'),
  VT_API_KEY: z.string({ error: 'is required: your VirusTotal API key (virustotal.com → API key)' }).min(1, 'is required'),
  VT_API_VERSION: z.enum(['2', '3'], { error: 'must be 3 or 2' }).default('3').transform(Number).pipe(z.union([z.literal(2), z.literal(3)])),
  VT_API_URL: origin('https://www.virustotal.com'),
  DISCORD_API_URL: origin('https://discord.com/api'),
  VT_RATE_PER_MINUTE: positiveInt(4),
  VT_QUOTA_PER_DAY: positiveInt(500),
  VT_QUOTA_PER_MONTH: positiveInt(15500),
  VT_POLL_MS: z.coerce.number({ error: 'must be milliseconds, e.g. 20000' }).int('must be milliseconds, e.g. 20000').min(10, 'must be at least 10').default(20000),
  CACHE_TTL_MINUTES: z.coerce.number({ error: 'must be minutes, e.g. 360' }).int('must be minutes, e.g. 360').min(0, 'must be 0 or more').default(360),
  STORE_URL: z.string().regex(/^(sqlite|redis|rediss):\/\//, 'must start with sqlite:// or redis://').default('sqlite://data/vt-guard.sqlite'),
  JOB_LEASE_SECONDS: z.coerce.number({ error: 'must be seconds, e.g. 30' }).int('must be seconds, e.g. 30').min(1, 'must be at least 1').max(3600, 'must be at most 3600').default(30),
  ATTACHMENT_HOSTS: hostList.default(['cdn.discordapp.com', 'media.discordapp.net']),
  MAX_FILE_MB: z.coerce.number({ error: 'must be megabytes, e.g. 32' }).positive('must be greater than 0').max(650, 'must be at most 650 (VirusTotal upload URLs take up to 650 MB)').default(32),
  DEV_GUILD_ID: z.string().regex(/^\d{15,22}$/, 'must be a server id (a number)').optional(),
  HTTP_PORT: z.coerce.number({ error: 'must be a port number, e.g. 8080' }).int('must be a port number, e.g. 8080').min(0).max(65535, 'must be a port number, e.g. 8080').optional(),
  DISCORD_LOGIN_TIMEOUT_SECONDS: z.coerce.number({ error: 'must be seconds, e.g. 60' }).int('must be seconds, e.g. 60').positive('must be greater than 0').default(60),
  HTTP_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$|^[0-9a-fA-F:.]+$/, 'must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  STATUS_TOKEN: z.string().min(16, 'must be at least 16 characters (it guards the status page and /metrics)').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
});

export type Config = Readonly<{
  discordToken: string;
  vtApiKey: string;
  vtApiVersion: 2 | 3;
  vtApiUrl: string;
  discordApiUrl: string;
  /** How long start-up waits for Discord to accept the login before giving up (exit 1). */
  discordLoginTimeoutMs: number;
  vtRatePerMinute: number;
  vtQuotaPerDay: number;
  vtQuotaPerMonth: number;
  vtPollMs: number;
  cacheTtlMinutes: number;
  storeUrl: string;
  /** Redis store: how long a dead process's jobs stay held before another process takes them over. */
  jobLeaseMs: number;
  attachmentHosts: readonly string[];
  maxFileBytes: number;
  devGuildId: string | undefined;
  httpPort: number | undefined;
  /** Where the health server listens; loopback unless told otherwise (a container sets 0.0.0.0). */
  httpHost: string;
  /** When set, `/metrics` needs it as a bearer token or `?token=`; `/healthz` stays open. */
  statusToken: string | undefined;
  logLevel: string;
  /** How this process takes part in Discord sharding (README.md "Sharding"). */
  sharding: Sharding;
}>;

/**
 * - `single`: one process, one shard (the default).
 * - `manager`: SHARDS set; this process only spawns one child process per shard (discord.js's ShardingManager).
 * - `shards`: this process runs the shards `ids` of `count`: chosen with SHARD_IDS + SHARD_COUNT, or handed
 *   to a child by the manager (`managed`).
 */
export type Sharding =
  | { readonly mode: 'single' }
  | { readonly mode: 'manager'; readonly count: number | 'auto' }
  | { readonly mode: 'shards'; readonly ids: readonly number[]; readonly count: number; readonly managed: boolean };

/** Parses an environment (process.env by default; `.env` in the working directory is read first). */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  // Empty strings (from `KEY=` in .env) mean "unset", so defaults apply.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(cleaned);
  const sharding = readSharding(cleaned);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')} ${i.message}`)),
    ...(Array.isArray(sharding) ? sharding : []),
  ];
  if (!parsed.success || Array.isArray(sharding)) throw new ConfigError(problems);
  const c = parsed.data;
  return Object.freeze({
    discordToken: c.DISCORD_TOKEN,
    vtApiKey: c.VT_API_KEY,
    vtApiVersion: c.VT_API_VERSION,
    vtApiUrl: c.VT_API_URL,
    discordApiUrl: c.DISCORD_API_URL,
    discordLoginTimeoutMs: c.DISCORD_LOGIN_TIMEOUT_SECONDS * 1000,
    vtRatePerMinute: c.VT_RATE_PER_MINUTE,
    vtQuotaPerDay: c.VT_QUOTA_PER_DAY,
    vtQuotaPerMonth: c.VT_QUOTA_PER_MONTH,
    vtPollMs: c.VT_POLL_MS,
    cacheTtlMinutes: c.CACHE_TTL_MINUTES,
    storeUrl: c.STORE_URL,
    jobLeaseMs: c.JOB_LEASE_SECONDS * 1000,
    attachmentHosts: Object.freeze([...c.ATTACHMENT_HOSTS]),
    maxFileBytes: Math.round(c.MAX_FILE_MB * 1024 * 1024),
    devGuildId: c.DEV_GUILD_ID,
    httpPort: c.HTTP_PORT,
    httpHost: c.HTTP_HOST,
    statusToken: c.STATUS_TOKEN,
    logLevel: c.LOG_LEVEL,
    sharding,
  });
}

/** More shards than this is a typo, not a bot: Discord asks for one shard per 1000 guilds at most. */
const MAX_SHARDS = 4096;
const WHOLE = /^\d{1,4}$/;

/** SHARDS, SHARD_IDS, SHARD_COUNT (and the manager's SHARDING_MANAGER) → a Sharding, or the problems with them. */
function readSharding(env: Record<string, string | undefined>): Sharding | string[] {
  const { SHARDS: shards, SHARD_IDS: ids, SHARD_COUNT: count } = env;
  // discord.js's ShardingManager starts each child with SHARDING_MANAGER=true, SHARDS=<its shard id> and
  // SHARD_COUNT=<total>: the child must run that shard, not spawn shards again.
  if (env.SHARDING_MANAGER === 'true') return shardList('SHARDS', shards, count, true);
  if (shards !== undefined) {
    const problems: string[] = [];
    if (ids !== undefined || count !== undefined) problems.push('SHARDS cannot be combined with SHARD_IDS or SHARD_COUNT: SHARDS spawns every shard on this machine, SHARD_IDS + SHARD_COUNT run chosen shards in this process');
    const value = shards.trim().toLowerCase();
    const n = WHOLE.test(value) ? Number(value) : NaN;
    if (value !== 'auto' && !(n >= 1 && n <= MAX_SHARDS)) problems.push(`SHARDS must be auto or a number of shards from 1 to ${String(MAX_SHARDS)}, e.g. 2`);
    return problems.length > 0 ? problems : { mode: 'manager', count: value === 'auto' ? 'auto' : n };
  }
  if (ids === undefined && count === undefined) return { mode: 'single' };
  return shardList('SHARD_IDS', ids, count, false);
}

function shardList(name: string, list: string | undefined, countText: string | undefined, managed: boolean): Sharding | string[] {
  const problems: string[] = [];
  const count = countText !== undefined && WHOLE.test(countText.trim()) ? Number(countText.trim()) : NaN;
  if (!(count >= 1 && count <= MAX_SHARDS)) problems.push(`SHARD_COUNT must be the total number of shards (1 to ${String(MAX_SHARDS)}) when ${name} is set, e.g. 2`);
  const parts = (list ?? '').replace(/^\[|\]$/g, '').split(',').map((p) => p.trim());
  const ids = parts.map((p) => (WHOLE.test(p) ? Number(p) : NaN));
  const valid = list !== undefined && ids.every((id) => Number.isInteger(id)) && new Set(ids).size === ids.length;
  if (!valid) problems.push(`${name} must be a comma-separated list of distinct shard ids when SHARD_COUNT is set, e.g. 0,1`);
  else if (count >= 1 && ids.some((id) => id >= count)) problems.push(`${name} must be below SHARD_COUNT (${String(count)}): shard ids count from 0`);
  return problems.length > 0 ? problems : { mode: 'shards', ids: Object.freeze([...ids].sort((a, b) => a - b)), count, managed };
}

function readEnvironment(): Record<string, string | undefined> {
  // Variables already set in the environment win over .env (process.loadEnvFile does not override).
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
