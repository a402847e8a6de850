/**
 * Where a server's audit trail is kept, day by day: the operations the trail (history.ts) needs of
 * a backend, and the keyv form of them (a chain of pages per day, history-pages.ts, and a list of
 * the days). On Redis, trail-redis.ts keeps each day as a list that processes append to atomically.
 */
import type { Keyv } from 'keyv';
import { DayPages } from './history-pages.js';

export interface TrailDays<Entry> {
  /** The newest this many entries of a day are kept. */
  readonly maxPerDay: number;
  /** The UTC days (days since the epoch) that hold entries. */
  days(guildId: string): Promise<number[]>;
  /** Adds `entries` (oldest first) at the end of `day`, lists the day, keeps the day's newest `maxPerDay`. */
  append(guildId: string, day: number, entries: readonly Entry[]): Promise<void>;
  /** The day's entries, oldest first. */
  read(guildId: string, day: number): Promise<Entry[]>;
  /** Deletes these days and unlists them. */
  drop(guildId: string, days: readonly number[]): Promise<void>;
}

/**
 * The trail in keyv: each day a chain of pages, and one record listing the days. A read-modify-write
 * of that list: the trail serialises writes per server in this process; processes sharing one
 * store use the Redis form.
 */
export class KeyvTrail<Entry> implements TrailDays<Entry> {
  private readonly pages: DayPages<Entry>;

  constructor(private readonly keyv: Keyv, readonly maxPerDay: number, isEntry: (v: unknown) => v is Entry) {
    this.pages = new DayPages(keyv, maxPerDay, isEntry);
  }

  async days(guildId: string): Promise<number[]> {
    const raw: unknown = await this.keyv.get(indexKey(guildId));
    return Array.isArray(raw) ? raw.filter((d): d is number => Number.isInteger(d)) : [];
  }

  async append(guildId: string, day: number, entries: readonly Entry[]): Promise<void> {
    await this.pages.append(guildId, day, entries);
    const days = await this.days(guildId);
    if (!days.includes(day)) await this.keyv.set(indexKey(guildId), [...days, day]);
  }

  read(guildId: string, day: number): Promise<Entry[]> {
    return this.pages.read(guildId, day);
  }

  async drop(guildId: string, days: readonly number[]): Promise<void> {
    if (days.length === 0) return;
    for (const day of days) await this.pages.delete(guildId, day);
    const left = (await this.days(guildId)).filter((d) => !days.includes(d));
    if (left.length === 0) await this.keyv.delete(indexKey(guildId));
    else await this.keyv.set(indexKey(guildId), left);
  }
}

function indexKey(guildId: string): string {
  return `${guildId}/days`;
}
