/**
 * The audit trail on Redis: each server's day is a list (RPUSH of the new entries, then LTRIM to the
 * day's bound, in one MULTI) and the days are a set, so processes sharing Redis append to one
 * server's trail at the same moment without losing each other's entries. Days an earlier version
 * wrote through keyv (store/trail.ts) are still read, listed and dropped with the rest.
 */
import type { RedisClient } from './redis-client.js';
import type { TrailDays } from './trail.js';

export class RedisTrail<Entry> implements TrailDays<Entry> {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    readonly maxPerDay: number,
    private readonly isEntry: (v: unknown) => v is Entry,
    /** The trail as the previous version kept it, read until its days fall out of `history_days`. */
    private readonly earlier?: TrailDays<Entry>,
  ) {}

  async days(guildId: string): Promise<number[]> {
    const listed = (await this.client.sMembers(this.daysKey(guildId))).map(Number).filter((d) => Number.isInteger(d));
    const earlier = this.earlier === undefined ? [] : await this.earlier.days(guildId);
    return [...new Set([...earlier, ...listed])];
  }

  async append(guildId: string, day: number, entries: readonly Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.dayKey(guildId, day);
    await this.client.multi()
      .rPush(key, entries.map((entry) => JSON.stringify(entry)))
      .lTrim(key, -this.maxPerDay, -1)
      .sAdd(this.daysKey(guildId), String(day))
      .exec();
  }

  async read(guildId: string, day: number): Promise<Entry[]> {
    const stored = await this.client.lRange(this.dayKey(guildId, day), 0, -1);
    const entries = stored.flatMap((text) => {
      try {
        const value: unknown = JSON.parse(text);
        return this.isEntry(value) ? [value] : [];
      } catch {
        return []; // a damaged entry is skipped, never a crash
      }
    });
    const earlier = this.earlier === undefined ? [] : await this.earlier.read(guildId, day);
    return [...earlier, ...entries].slice(-this.maxPerDay);
  }

  async drop(guildId: string, days: readonly number[]): Promise<void> {
    if (days.length === 0) return;
    await this.client.multi()
      .del(days.map((day) => this.dayKey(guildId, day)))
      .sRem(this.daysKey(guildId), days.map(String))
      .exec();
    await this.earlier?.drop(guildId, days);
  }

  private dayKey(guildId: string, day: number): string {
    return `${this.prefix}trail:${guildId}:${String(day)}`;
  }

  private daysKey(guildId: string): string {
    return `${this.prefix}trail:${guildId}:days`;
  }
}
