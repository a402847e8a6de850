/**
 * SHARDS, SHARD_IDS and SHARD_COUNT in the config contract: what each mode reads as, what the
 * ShardingManager's children are handed, and every invalid value as a config error listed with the others.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { registersCommands } from '../../src/discord/register.js';
import { runsGuild, shardOfGuild } from '../../src/discord/shard-of.js';

const required = { DISCORD_TOKEN: 'discord-token-value', VT_API_KEY: 'vt-key-value' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...required, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('Expected a ConfigError, got a valid config');
}

describe('sharding config', () => {
  it('runs one shard in one process by default', () => {
    expect(loadConfig(required).sharding).toEqual({ mode: 'single' });
  });

  it('reads SHARDS as a manager of auto or N shards', () => {
    expect(loadConfig({ ...required, SHARDS: 'auto' }).sharding).toEqual({ mode: 'manager', count: 'auto' });
    expect(loadConfig({ ...required, SHARDS: 'AUTO' }).sharding).toEqual({ mode: 'manager', count: 'auto' });
    expect(loadConfig({ ...required, SHARDS: '3' }).sharding).toEqual({ mode: 'manager', count: 3 });
  });

  it('reads SHARD_IDS + SHARD_COUNT as the shards this process runs, sorted', () => {
    expect(loadConfig({ ...required, SHARD_IDS: '3, 1', SHARD_COUNT: '4' }).sharding).toEqual({ mode: 'shards', ids: [1, 3], count: 4, managed: false });
  });

  it("reads a ShardingManager child's SHARDS as its own shard, not as a manager again", () => {
    const env = { ...required, SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' };
    expect(loadConfig(env).sharding).toEqual({ mode: 'shards', ids: [1], count: 2, managed: true });
    expect(loadConfig({ ...env, SHARDS: '[0,1]' }).sharding).toEqual({ mode: 'shards', ids: [0, 1], count: 2, managed: true });
  });

  it.each([
    [{ SHARDS: '0' }, 'SHARDS must be auto or a number'],
    [{ SHARDS: 'two' }, 'SHARDS must be auto or a number'],
    [{ SHARDS: '1.5' }, 'SHARDS must be auto or a number'],
    [{ SHARDS: '99999' }, 'SHARDS must be auto or a number'],
    [{ SHARDS: '2', SHARD_IDS: '0', SHARD_COUNT: '2' }, 'SHARDS cannot be combined with SHARD_IDS or SHARD_COUNT'],
    [{ SHARD_IDS: '0' }, 'SHARD_COUNT must be the total number of shards'],
    [{ SHARD_COUNT: '2' }, 'SHARD_IDS must be a comma-separated list'],
    [{ SHARD_IDS: '0,0', SHARD_COUNT: '2' }, 'SHARD_IDS must be a comma-separated list of distinct'],
    [{ SHARD_IDS: '-1', SHARD_COUNT: '2' }, 'SHARD_IDS must be a comma-separated list'],
    [{ SHARD_IDS: '2', SHARD_COUNT: '2' }, 'SHARD_IDS must be below SHARD_COUNT (2)'],
    [{ SHARD_IDS: '0', SHARD_COUNT: '0' }, 'SHARD_COUNT must be the total number of shards'],
    [{ SHARDING_MANAGER: 'true', SHARDS: 'auto', SHARD_COUNT: '2' }, 'SHARDS must be a comma-separated list'],
  ])('refuses %o', (env, expected) => {
    expect(problemsOf(env).join('\n')).toContain(expected);
  });

  it('lists a sharding problem together with the other problems', () => {
    const problems = problemsOf({ SHARDS: 'many', VT_POLL_MS: 'soon' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['SHARDS', 'VT_POLL_MS']);
  });
});

describe('who registers the commands', () => {
  it('is the single process, or the one running shard 0', () => {
    expect(registersCommands({ mode: 'single' })).toBe(true);
    expect(registersCommands({ mode: 'shards', ids: [0, 2], count: 4, managed: false })).toBe(true);
    expect(registersCommands({ mode: 'shards', ids: [1], count: 2, managed: true })).toBe(false);
  });
});

describe('which guilds a shard process serves', () => {
  // 41771983423 << 22 puts the timestamp part at an odd number: shard 1 of 2.
  const odd = String((41771983423n << 22n) | 5n);
  const even = String((41771983422n << 22n) | 5n);

  it('is the guilds whose (id >> 22) % count is one of its shards', () => {
    expect([shardOfGuild(even, 2), shardOfGuild(odd, 2)]).toEqual([0, 1]);
    const shardOne = { mode: 'shards', ids: [1], count: 2, managed: false } as const;
    expect(runsGuild(shardOne, odd)).toBe(true);
    expect(runsGuild(shardOne, even)).toBe(false);
    expect(runsGuild(shardOne, 'not-an-id')).toBe(false);
    expect(runsGuild({ mode: 'single' }, even)).toBe(true);
  });
});
