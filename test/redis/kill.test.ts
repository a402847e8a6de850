/**
 * Two real bot processes (`node dist/main.js`) on one Redis: one is killed with SIGKILL in the
 * middle of its auto-scan backlog; the other takes its jobs over once their leases expire, and
 * every message still gets exactly one answer. And a Redis that cannot be reached at start is one
 * line and exit 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildEntry, runEntry } from '../ops/built-process.js';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { until } from '../support/redis-bots.js';
import { startVtDouble, type VtDouble } from '../support/vt-double.js';
import { doublesEnv } from '../support/doubles-env.js';

let built: ReturnType<typeof buildEntry>;
let redis: RedisServer;
let discord: DiscordDouble;
let vt: VtDouble;
let cwd: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  built = buildEntry();
  [redis, discord, vt] = await Promise.all([startRedis(), startDiscordDouble(), startVtDouble({ perWindow: 10_000, perDay: 100_000 })]);
  cwd = mkdtempSync(join(tmpdir(), 'vt-guard-kill-'));
}, 90_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all([discord.close(), vt.close(), redis.close()]);
  built.remove();
  rmSync(cwd, { recursive: true, force: true });
});

/** A bot process; its stdout (JSON log lines) is collected. */
function startProcess(): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [built.entry], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      ...doublesEnv(discord, vt),
      STORE_URL: redis.url,
      JOB_LEASE_SECONDS: '1',
      VT_RATE_PER_MINUTE: '10000',
      VT_POLL_MS: '10',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  children.push(child);
  return { child, output: () => output };
}

const replies = (id: string): number =>
  discord.messages(discord.channels.general).filter((m) => m.author.id === discord.botUser.id && m.message_reference?.message_id === id).length;

it('answers every message exactly once after one of two processes is killed mid-backlog', async () => {
  const flagged = { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } };
  for (let i = 0; i < 8; i++) vt.addDomain(`kill${String(i)}-drop.xyz`, flagged);
  const a = startProcess();
  await until(() => a.output().includes('connected to Discord'), 20_000, 'process A to log in');
  // Each look-up answers late, so A's backlog is still running when it is killed. Only A is up
  // when the messages arrive, so A holds every job (two live processes would split them by
  // whoever marks an item first, and the kill could then hit a process holding nothing).
  vt.fault({ path: /\/domains\//, method: 'GET' }, ...Array.from({ length: 8 }, () => ({ delayMs: 15_000 })));
  const posted: APIMessage[] = [];
  for (let i = 0; i < 8; i++) posted.push(await discord.postMessage({ author: discord.members.member, content: `see kill${String(i)}-drop.xyz` }));
  await until(() => vt.requestsTo(/^\/api\/v3\/domains\//).length >= 8, 10_000, 'every look-up to be in flight');
  const b = startProcess();
  await until(() => b.output().includes('connected to Discord'), 20_000, 'process B to log in');
  a.child.kill('SIGKILL');
  await until(() => posted.every((m) => replies(m.id) >= 1), 30_000, 'every message to be answered');
  await new Promise((r) => setTimeout(r, 1500)); // a second answer would arrive by now
  expect(posted.map((m) => replies(m.id))).toEqual(posted.map(() => 1));
  // B really took over what A held (otherwise the kill proved nothing).
  expect(b.output()).toContain('resuming auto-scans left pending by the previous run');
  b.child.kill('SIGTERM');
}, 90_000);

it('exits 1 at start with one line when Redis cannot be reached, without the password', async () => {
  const run = await runEntry(built.entry, cwd, {
    DISCORD_TOKEN: discord.token,
    VT_API_KEY: vt.apiKey,
    VT_API_URL: vt.origin,
    DISCORD_API_URL: discord.apiUrl,
    STORE_URL: 'redis://:s3cret-pass@127.0.0.1:1',
  });
  expect(run.code).toBe(1);
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toEqual(['vt-guard: Cannot reach Redis at 127.0.0.1:1 (ECONNREFUSED): start Redis there or fix STORE_URL']);
  expect(run.stdout + run.stderr).not.toContain('s3cret-pass');
}, 30_000);
