/**
 * Child processes the load benchmarks measure: the built bot (`node dist/main.js`, as `npm start`
 * runs it) and a bare discord.js client with the same intents that does nothing, both pointed at
 * the doubles. Memory is read from /proc, so the measuring never runs inside the measured process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiscordDouble } from '../test/support/discord-double.js';
import { doublesEnv } from '../test/support/doubles-env.js';
import type { VtDouble } from '../test/support/vt-double.js';

const root = join(import.meta.dirname, '..');

/** Resident memory of a process in MB (Linux /proc), or NaN elsewhere. */
export function rssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * Node options for the measured children (BENCH_NODE_OPTIONS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`
 * to profile the bot and the bare client side by side); nothing else of this process's NODE_OPTIONS.
 */
const CHILD_NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? '';

/** The real bot, built, with auto-scan on (the defaults) and logging only warnings (BENCH_DEBUG=1: its debug log on stdout). */
export function spawnBot(discord: DiscordDouble, vt: VtDouble, dir: string, extraEnv: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [join(root, 'dist', 'main.js')], {
    cwd: dir,
    stdio: ['ignore', process.env.BENCH_DEBUG ? 'inherit' : 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      ...doublesEnv(discord, vt),
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
      VT_RATE_PER_MINUTE: '1000', VT_POLL_MS: '50', LOG_LEVEL: process.env.BENCH_DEBUG ? 'debug' : 'warn', NODE_OPTIONS: CHILD_NODE_OPTIONS,
      ...extraEnv,
    },
  });
}

/** The floor: discord.js with the bot's intents and default options, counting messages and nothing else. */
const BARE_CLIENT = `
import { Client, Events, GatewayIntentBits } from 'discord.js';
const expected = Number(process.env.EXPECT);
const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], rest: { api: process.env.DISCORD_API_URL } });
let seen = 0;
client.on(Events.MessageCreate, () => { seen += 1; if (seen === expected) process.send({ done: true }); });
client.once(Events.ClientReady, () => process.send({ ready: true }));
// A normal exit on SIGTERM, so a profiling run (BENCH_NODE_OPTIONS=--cpu-prof) can write its profile.
process.on('SIGTERM', () => process.exit(0));
process.on('message', (m) => { if (m.expect !== undefined) { seen = 0; process.env.EXPECT = String(m.expect); } });
await client.login(process.env.DISCORD_TOKEN);
`;

/** A bare client; it sends `{ ready }` after GUILD_CREATE and `{ done }` after EXPECT messages. */
export function spawnBare(discord: DiscordDouble, expected: number): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', BARE_CLIENT], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { PATH: process.env.PATH ?? '', DISCORD_API_URL: discord.apiUrl, DISCORD_TOKEN: discord.token, EXPECT: String(expected), NODE_OPTIONS: CHILD_NODE_OPTIONS },
  });
}

/** Resolves with the child's next IPC message that has `key`; rejects after `timeoutMs`. */
export function nextMessage(child: ChildProcess, key: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${key}" from the child within ${String(timeoutMs)} ms`)), timeoutMs);
    child.on('message', (m: Record<string, unknown>) => {
      if (m[key] === undefined) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The V8 heap of a bot started with HTTP_PORT=`port`, from its own /metrics (prom-client's default
 * metrics): how much of the RSS is live JavaScript objects. NaN when it cannot be read.
 */
export async function botHeapMb(port: number): Promise<{ used: number; total: number }> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const read = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]) / 1048576;
    return { used: read('nodejs_heap_size_used_bytes'), total: read('nodejs_heap_size_total_bytes') };
  } catch {
    return { used: Number.NaN, total: Number.NaN };
  }
}

/** Waits until the bot has logged in and registered its commands. */
export async function botReady(discord: DiscordDouble, timeoutMs = 30_000): Promise<void> {
  await discord.ready(timeoutMs);
  const deadline = Date.now() + timeoutMs;
  while (!discord.registeredCommands.some((c) => c.name === 'vt')) {
    if (Date.now() > deadline) throw new Error('the bot registered no commands');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
