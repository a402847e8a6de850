/**
 * SHARD_IDS + SHARD_COUNT: two real bot processes (`node dist/main.js`), shard 0 and shard 1 of 2,
 * against one sharded Discord double with a guild on each shard, sharing one store: a SQLite file, or
 * Redis (one quota, cache and job claims for both). Each process hears only its own guild, every
 * message is answered exactly once, and only shard 0 registers commands.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntry } from '../ops/built-process.js';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startVtDouble, type VtDouble } from '../support/vt-double.js';
import { startProcess, type RunningProcess } from './running-process.js';

describe.each(['sqlite', 'redis'] as const)('sharded processes sharing a %s store', (backend) => {
  let redis: RedisServer | undefined;
  let built: ReturnType<typeof buildEntry>;
  let cwd: string;
  let discord: DiscordDouble;
  let vt: VtDouble;
  const shards: RunningProcess[] = [];
  /** The process running shard `n`. */
  const running = (n: number): RunningProcess => {
    const found = shards[n];
    if (!found) throw new Error(`Expected a process for shard ${String(n)}, got none`);
    return found;
  };
  const FLAGGED_URL = 'https://evil-payload.xyz/drop.exe';

  beforeAll(async () => {
    built = buildEntry();
    if (backend === 'redis') redis = await startRedis();
    cwd = mkdtempSync(join(tmpdir(), 'vt-guard-shards-'));
    discord = await startDiscordDouble({ shards: 2, guilds: 2 });
    vt = await startVtDouble({ perWindow: 10_000 });
    vt.addUrl(FLAGGED_URL, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
    const env = {
      DISCORD_TOKEN: discord.token, VT_API_KEY: vt.apiKey, VT_API_URL: vt.origin, DISCORD_API_URL: discord.apiUrl,
      STORE_URL: redis ? redis.url : `sqlite://${join(cwd, 'shared.sqlite')}`, VT_RATE_PER_MINUTE: '10000', LOG_LEVEL: 'debug', SHARD_COUNT: '2',
    };
    for (const id of ['0', '1']) shards.push(startProcess(built.entry, cwd, { ...env, SHARD_IDS: id }));
    await Promise.all(shards.map((s) => s.waitForLog((l) => l.msg === 'connected to Discord', 60_000)));
    await shards[0]?.waitForLog((l) => l.msg === 'commands registered', 20_000);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(shards.map((s) => s.stop().catch(() => null)));
    await discord?.close();
    await vt?.close();
    await redis?.stop();
    rmSync(cwd, { recursive: true, force: true });
    built?.remove();
  });

  describe('two processes with SHARD_IDS=0 and =1 of SHARD_COUNT=2', () => {
    it('identify as [0, 2] and [1, 2], each getting only the guild on its shard', () => {
      expect(discord.gateway.identifies.map((i) => i.shard).sort()).toEqual([[0, 2], [1, 2]]);
      expect(discord.guilds.map((g) => discord.shardOf(g.id, 2))).toEqual([0, 1]);
    });

    it('answer a message in each guild exactly once, from the process running its shard', async () => {
      const posted: APIMessage[] = [];
      for (const guild of discord.guilds) {
        posted.push(await discord.postMessage({ author: guild.members.member, channelId: guild.channels.general, content: `look ${FLAGGED_URL}` }));
      }
      const done = (shard: number, messageId: string) => (l: Record<string, unknown>): boolean => l.msg === 'auto-scan done' && l.messageId === messageId && JSON.stringify(l.shards) === `[${String(shard)}]`;
      await Promise.all(posted.map((m, shard) => running(shard).waitForLog(done(shard, m.id), 20_000)));
      // Time for a wrongly delivered copy to be answered too.
      await new Promise((r) => setTimeout(r, 1500));
      for (const [index, message] of posted.entries()) {
        const replies = discord.messages(message.channel_id).filter((m) => m.author.id === discord.botUser.id && m.message_reference?.message_id === message.id);
        expect(replies).toHaveLength(1);
        const other = shards[1 - index];
        expect(other?.logLines().some((l) => l.messageId === message.id)).toBe(false);
      }
    });

    it('register the commands once, from shard 0 only', () => {
      const puts = discord.calls.filter((c) => c.method === 'PUT' && /^\/applications\/\d+\/commands$/.test(c.path));
      const reads = discord.calls.filter((c) => c.method === 'GET' && /^\/applications\/\d+\/commands$/.test(c.path));
      expect(puts).toHaveLength(1);
      expect(reads).toHaveLength(1);
      expect(discord.globalCommands.length).toBeGreaterThan(0);
      expect(shards[1]?.logLines().some((l) => l.msg === 'commands are registered by the process running shard 0')).toBe(true);
    });

    it('carry the shard ids on every log line', async () => {
      for (const [index, shard] of shards.entries()) {
        // Log lines reach the pipe asynchronously; a loaded machine may still be writing them.
        for (const deadline = Date.now() + 5_000; shard.logLines().length < 3 && Date.now() < deadline;) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const lines = shard.logLines();
        // At least its login, the registration decision and one scan: every one of them carries the shard.
        expect(lines.length, JSON.stringify(lines.map((l) => l.msg))).toBeGreaterThanOrEqual(3);
        expect(lines.every((l) => JSON.stringify(l.shards) === `[${String(index)}]` && l.shardCount === 2)).toBe(true);
      }
    });

    it('both stop on SIGTERM with exit 0', async () => {
      expect(await Promise.all(shards.map((s) => s.stop('SIGTERM')))).toEqual([0, 0]);
    });
  });
});
