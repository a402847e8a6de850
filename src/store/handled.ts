/**
 * Which process scans what of a message. Every process connected to Discord without sharding
 * receives every message event; on a shared store the first process to mark a planned item scans
 * it and the others drop it, so one event is scanned (and answered) once, and an edit only adds
 * what no process scanned yet. One process alone (SQLite) keeps this in memory
 * (src/autoscan/runtime.ts), so its marks here always succeed.
 */
import type { RedisClient } from './redis-client.js';

export interface HandledMarks {
  /** Marks `keys` of `messageId` as this process's; returns the ones no process had marked before. */
  mark(messageId: string, keys: readonly string[]): Promise<string[]>;
}

/** One process: everything is its own. */
export const LOCAL_MARKS: HandledMarks = { mark: (_messageId, keys) => Promise.resolve([...keys]) };

/** Marks as fields of one hash per message; all-or-nothing per call, so one event is never split between two processes. */
const MARK = `
local mine = {}
for i, key in ipairs(ARGV) do
  if i > 1 and redis.call('HSETNX', KEYS[1], key, '1') == 1 then table.insert(mine, key) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return mine`;

/** Marks live a day: edits of older messages may be scanned again, as in one process. */
const MARK_TTL_MS = 24 * 60 * 60_000;

export class RedisHandledMarks implements HandledMarks {
  constructor(private readonly client: RedisClient, private readonly prefix: string) {}

  async mark(messageId: string, keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const reply = await this.client.eval(MARK, { keys: [`${this.prefix}handled:${messageId}`], arguments: [String(MARK_TTL_MS), ...keys] });
    return Array.isArray(reply) ? reply.filter((k): k is string => typeof k === 'string') : [];
  }
}
