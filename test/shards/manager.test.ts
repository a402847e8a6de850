/**
 * SHARDS: the built bot as a shard manager (discord.js's ShardingManager) against a sharded Discord
 * double. It spawns one process per shard, each identifying with its own [id, count]; a child that
 * crashes is spawned again; SIGTERM stops every child and the manager exits 0. SHARDS=auto takes the
 * count from GET /gateway/bot at DISCORD_API_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildEntry } from '../ops/built-process.js';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double.js';
import { startVtDouble, type VtDouble } from '../support/vt-double.js';
import { isAlive, startProcess, type RunningProcess } from './running-process.js';

let built: ReturnType<typeof buildEntry>;
let cwd: string;
let vt: VtDouble;
let discord: DiscordDouble | undefined;
let manager: RunningProcess | undefined;

beforeAll(async () => {
  built = buildEntry();
  vt = await startVtDouble({ perWindow: 10_000 });
}, 60_000);
afterEach(async () => {
  // A failed test must not leave shard processes behind: SIGTERM reaches them through the manager.
  await manager?.stop().catch(() => manager?.child.kill('SIGKILL'));
  await discord?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});
afterAll(async () => {
  await vt?.close();
  built?.remove();
});

async function startManager(shards: string, doubleShards: number, token?: string, extra: Record<string, string> = {}, restLatencyMs = 0): Promise<{ discord: DiscordDouble; manager: RunningProcess }> {
  cwd = mkdtempSync(join(tmpdir(), 'vt-guard-manager-'));
  discord = await startDiscordDouble({ shards: doubleShards, guilds: doubleShards, restLatencyMs });
  manager = startProcess(built.entry, cwd, {
    DISCORD_TOKEN: token ?? discord.token, VT_API_KEY: vt.apiKey, VT_API_URL: vt.origin, DISCORD_API_URL: discord.apiUrl,
    STORE_URL: `sqlite://${join(cwd, 'shared.sqlite')}`, SHARDS: shards, ...extra,
  });
  return { discord, manager };
}

/** A port p with p and p + 1 both free (for HTTP_PORT + shard id). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await listenOnce(0);
    if (port < 65_535 && (await listenOnce(port + 1).then(() => true, () => false))) return port;
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

const startedPid = (m: RunningProcess, shard: number, except?: unknown) =>
  m.waitForLog((l) => l.msg === 'shard process started' && l.shard === shard && l.pid !== except, 30_000).then((l) => Number(l.pid));

describe('SHARDS=2', () => {
  it('spawns two shard processes that identify as [0, 2] and [1, 2], respawns a crashed one, and stops all on SIGTERM with exit 0', async () => {
    const port = await freePortPair();
    const { discord: d, manager: m } = await startManager('2', 2, undefined, { HTTP_PORT: String(port) });
    await m.waitForLog((l) => l.msg === 'every shard is ready', 40_000);
    // Each shard serves its health on HTTP_PORT + its id.
    for (const offset of [0, 1]) expect((await fetch(`http://127.0.0.1:${String(port + offset)}/healthz`)).status).toBe(200);
    expect(d.gateway.identifies.map((i) => i.shard)).toEqual([[0, 2], [1, 2]]);
    const pids = [await startedPid(m, 0), await startedPid(m, 1)];
    expect(new Set([m.child.pid, ...pids]).size).toBe(3);
    // Each child ran as a shard, not as a manager again, and said so on its log lines.
    expect(m.logLines().filter((l) => l.msg === 'connected to Discord').map((l) => l.shards)).toEqual([[0], [1]]);
    expect(m.logLines().filter((l) => l.msg === 'spawning shards')).toHaveLength(1);
    expect(d.calls.filter((c) => c.method === 'PUT' && /\/commands$/.test(c.path))).toHaveLength(1);

    process.kill(pids[1] ?? 0, 'SIGKILL');
    const respawned = await startedPid(m, 1, pids[1]);
    await expect.poll(() => m.logLines().filter((l) => l.msg === 'shard ready' && l.shard === 1).length, { timeout: 30_000 }).toBe(2);
    expect(d.gateway.identifies.map((i) => i.shard)).toEqual([[0, 2], [1, 2], [1, 2]]);
    expect(isAlive(pids[0] ?? 0)).toBe(true);

    expect(await m.stop('SIGTERM', 40_000)).toBe(0);
    for (const pid of [pids[0], respawned]) expect(isAlive(pid ?? 0)).toBe(false);
    expect(m.logLines().filter((l) => l.msg === 'stopped').map((l) => l.shards)).toEqual(expect.arrayContaining([[0], [1]]));
  }, 120_000);
});

describe('SIGTERM while shards are still starting', () => {
  it('stops the shards already running, spawns no more, and exits 0', async () => {
    const { discord: d, manager: m } = await startManager('2', 2);
    const pid = await startedPid(m, 0);
    await m.waitForLog((l) => l.msg === 'shard ready' && l.shard === 0, 30_000);
    // Now in the pause before shard 1's login.
    expect(await m.stop('SIGTERM', 40_000)).toBe(0);
    expect(isAlive(pid)).toBe(false);
    expect(m.logLines().filter((l) => l.msg === 'shard process started')).toHaveLength(1);
    expect(d.gateway.identifies.map((i) => i.shard)).toEqual([[0, 2]]);
  }, 60_000);
});

describe('a manager killed outright', () => {
  it('leaves no shard process behind: the child stops when its IPC channel to the manager closes', async () => {
    const { manager: m } = await startManager('1', 1);
    await m.waitForLog((l) => l.msg === 'every shard is ready', 30_000);
    const pid = await startedPid(m, 0);
    m.child.kill('SIGKILL');
    await expect.poll(() => isAlive(pid), { timeout: 20_000, interval: 100 }).toBe(false);
  }, 60_000);
});

describe('SHARDS=auto', () => {
  it('takes the shard count from GET /gateway/bot at DISCORD_API_URL', async () => {
    const { discord: d, manager: m } = await startManager('auto', 2);
    const spawning = await m.waitForLog((l) => l.msg === 'spawning shards', 20_000);
    expect(spawning).toMatchObject({ count: 2, auto: true });
    await m.waitForLog((l) => l.msg === 'every shard is ready', 40_000);
    expect(d.gateway.identifies.map((i) => i.shard)).toEqual([[0, 2], [1, 2]]);
    // The manager's own request, then one per shard at login.
    expect(d.calls.filter((c) => c.method === 'GET' && c.path === '/gateway/bot')).toHaveLength(3);
    expect(await m.stop('SIGTERM', 40_000)).toBe(0);
  }, 120_000);
});

describe('a manager that cannot start', () => {
  const wrong = 'MTAwMDAwMDAwMDAwMDAwMDAw.GaBcDe.wrong-token-0123456789abcdefghijklm';

  it('ends with exit 2 when a shard process exits 2 on a refused token, instead of respawning it forever', async () => {
    const { manager: m } = await startManager('2', 2, wrong);
    const code = await new Promise<number | null>((resolve) => m.child.once('exit', resolve));
    expect(code).toBe(2);
    expect(m.output()).toContain('a shard process stopped on a configuration problem');
    expect(m.logLines().filter((l) => l.msg === 'shard process started').length).toBeLessThanOrEqual(2);
    expect(m.output()).not.toContain(wrong);
  }, 60_000);

  it('ends SHARDS=auto with exit 2 when GET /gateway/bot refuses the token', async () => {
    const { manager: m } = await startManager('auto', 2, wrong);
    const code = await new Promise<number | null>((resolve) => m.child.once('exit', resolve));
    expect(code).toBe(2);
    expect(m.output()).toContain('Discord refused the bot token');
    expect(m.logLines().some((l) => l.msg === 'shard process started')).toBe(false);
  }, 60_000);

  it('ends SHARDS=auto with exit 1 and the network hint when GET /gateway/bot does not answer in time', async () => {
    const { manager: m } = await startManager('auto', 2, undefined, { DISCORD_LOGIN_TIMEOUT_SECONDS: '1' }, 3000);
    const code = await new Promise<number | null>((resolve) => m.child.once('exit', resolve));
    expect(code).toBe(1);
    expect(m.output()).toMatch(/could not reach Discord at 127\.0\.0\.1:\d+ \(ETIMEDOUT\)/);
  }, 60_000);
});
