/**
 * Votes and settings on Redis, with Redis's own atomic operations instead of a read-modify-write
 * that would race across processes: a moderator's vote is one hash field (set and read back in one
 * script), a setting is one hash field, the allowlist is a set (SADD/SREM say whether it changed).
 */
import type { VoteVerdict } from '../core/objects.js';
import type { RedisClient } from './redis-client.js';
import { SETTINGS_LISTS, type SettingsList, type SettingsRecords } from './settings-records.js';
import type { BallotBox } from './votes.js';

/** Sets the voter's field and returns [previous verdict or false, the whole hash after]. */
const CAST = `
local previous = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return { previous, redis.call('HGETALL', KEYS[1]) }`;

function pairs(flat: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (!Array.isArray(flat)) return record;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const [key, value] = [flat[i] as unknown, flat[i + 1] as unknown];
    if (typeof key === 'string' && typeof value === 'string') record[key] = value;
  }
  return record;
}

/** Ballots as a Redis hash per object: voter → verdict. */
export class RedisBallotBox implements BallotBox {
  constructor(private readonly client: RedisClient, private readonly prefix: string) {}

  async read(objectKey: string): Promise<unknown> {
    return this.client.hGetAll(this.key(objectKey));
  }

  async put(objectKey: string, voter: string, verdict: VoteVerdict): Promise<{ before: unknown; after: unknown }> {
    const reply = (await this.client.eval(CAST, { keys: [this.key(objectKey)], arguments: [voter, verdict] })) as unknown[];
    const after = pairs(reply[1]);
    const before: Record<string, string> = { ...after };
    if (typeof reply[0] === 'string') before[voter] = reply[0];
    else delete before[voter];
    return { before, after };
  }

  async forget(prefix: string): Promise<number> {
    // SCAN, not KEYS: a large database is walked in steps without blocking other processes. The
    // prefix is `<guild id>/` (digits), so it holds no glob character to escape.
    let deleted = 0;
    for await (const keys of this.client.scanIterator({ MATCH: `${this.key(prefix)}*`, COUNT: 500 })) {
      if (keys.length > 0) deleted += await this.client.del(keys);
    }
    return deleted;
  }

  private key(objectKey: string): string {
    return `${this.prefix}votes:${objectKey}`;
  }
}

/** Settings as a Redis hash per guild (field → JSON value) and the allowlist as a set. */
export class RedisSettingsRecords implements SettingsRecords {
  constructor(private readonly client: RedisClient, private readonly prefix: string) {}

  async read(guildId: string): Promise<unknown> {
    // One MULTI: the fields and the lists are read as one snapshot.
    const multi = this.client.multi().hGetAll(this.fieldsKey(guildId));
    for (const list of SETTINGS_LISTS) multi.sMembers(this.listKey(guildId, list));
    const [fields, ...lists] = (await multi.exec()) as unknown as [Record<string, string>, ...string[][]];
    const record: Record<string, unknown> = {};
    for (const [field, json] of Object.entries(fields)) {
      try {
        record[field] = JSON.parse(json) as unknown;
      } catch {
        // A damaged field falls back to its default (SettingsStore validates what is left).
      }
    }
    SETTINGS_LISTS.forEach((list, i) => {
      record[list] = [...(lists[i] ?? [])].sort();
    });
    return record;
  }

  async setField(guildId: string, field: string, value: unknown): Promise<void> {
    await this.client.hSet(this.fieldsKey(guildId), field, JSON.stringify(value));
  }

  async addToList(guildId: string, list: SettingsList, value: string): Promise<boolean> {
    return (await this.client.sAdd(this.listKey(guildId, list), value)) === 1;
  }

  async removeFromList(guildId: string, list: SettingsList, value: string): Promise<boolean> {
    return (await this.client.sRem(this.listKey(guildId, list), value)) === 1;
  }

  async forget(guildId: string): Promise<void> {
    await this.client.del([this.fieldsKey(guildId), ...SETTINGS_LISTS.map((list) => this.listKey(guildId, list))]);
  }

  private fieldsKey(guildId: string): string {
    return `${this.prefix}settings:${guildId}`;
  }

  /** `allowlist` keeps its original key; other lists are named after themselves. */
  private listKey(guildId: string, list: SettingsList): string {
    return `${this.prefix}${list === 'allowlist' ? 'allowlist' : list.toLowerCase()}:${guildId}`;
  }
}
