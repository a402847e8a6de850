/**
 * The audit trail: every scan answer, action, vote and settings change per server, kept for the
 * server's `history_days`. Entries are grouped in one record per server and UTC day, so pruning is
 * deleting whole days and a query reads at most `history_days` records; a per-server index lists
 * the days that hold entries. Writes are serialised per server (read-modify-write each).
 */
import type { Keyv } from 'keyv';
import { KeyedSerialQueue } from '../core/serial.js';

const DAY_MS = 86_400_000;
/** A flood must not grow one day's record without bound: past this, the oldest entries of the day go. */
export const MAX_ENTRIES_PER_DAY = 5_000;

export type HistoryKind = 'scan' | 'action' | 'vote' | 'setting' | 'alert';

/** One thing that happened in a server. Ids are Discord snowflakes; `key` is an object key (`domain:x`). */
export interface HistoryEntry {
  at: number;
  kind: HistoryKind;
  channelId?: string;
  messageId?: string;
  /** Who posted the message scanned. */
  authorId?: string;
  /** Who voted, pressed or changed a setting. */
  moderatorId?: string;
  /** The object's key, e.g. `domain:evil.example`. */
  key?: string;
  /** What was scanned as people saw it (URL, domain, IP, hash). */
  text?: string;
  /** The outcome word, the vote, or the action taken. */
  verdict?: string;
  /** A settings change: `action: reply → delete`. */
  detail?: string;
}

/** Filters of {@link HistoryStore.recent}: entries by or about a member, or about a target. */
export interface HistoryQuery {
  userId?: string;
  target?: string;
  /** Entries older than this many days are not returned. */
  days: number;
  now: number;
}

const isEntry = (v: unknown): v is HistoryEntry =>
  typeof v === 'object' && v !== null && typeof (v as HistoryEntry).at === 'number' && typeof (v as HistoryEntry).kind === 'string';

export class HistoryStore {
  private readonly serial = new KeyedSerialQueue();

  /** `maxPerDay`: the bound on one server's entries per day (tests lower it). */
  constructor(private readonly keyv: Keyv, private readonly maxPerDay = MAX_ENTRIES_PER_DAY) {}

  /** Records one or more entries in `guildId`'s trail (one write per day touched) and drops days older than `keepDays`. */
  record(guildId: string, entries: HistoryEntry | readonly HistoryEntry[], keepDays: number): Promise<void> {
    const list: readonly HistoryEntry[] = isList(entries) ? entries : [entries];
    return this.serial.run(guildId, async () => {
      if (list.length === 0) return;
      const days = await this.days(guildId);
      const newest = Math.max(...list.map((e) => Math.floor(e.at / DAY_MS)));
      const expired = days.filter((d) => d <= newest - keepDays);
      const touched = [...new Set(list.map((e) => Math.floor(e.at / DAY_MS)))].filter((d) => d > newest - keepDays);
      for (const day of touched) {
        const fresh = list.filter((e) => Math.floor(e.at / DAY_MS) === day);
        const bucket = (await this.bucket(guildId, day)).concat(fresh).slice(-this.maxPerDay);
        await this.keyv.set(dayKey(guildId, day), bucket);
      }
      for (const d of expired) await this.keyv.delete(dayKey(guildId, d));
      const kept = [...new Set([...days.filter((d) => !expired.includes(d)), ...touched])];
      await this.keyv.set(indexKey(guildId), kept);
    });
  }

  /** The server's entries matching `query`, newest first, within `query.days`. */
  async recent(guildId: string, query: HistoryQuery): Promise<HistoryEntry[]> {
    const since = query.now - query.days * DAY_MS;
    const days = (await this.days(guildId)).filter((d) => (d + 1) * DAY_MS > since).sort((a, b) => b - a);
    const found: HistoryEntry[] = [];
    for (const day of days) {
      const entries = (await this.bucket(guildId, day)).filter((e) => e.at >= since && matches(e, query));
      found.push(...entries.reverse());
    }
    return found.sort((a, b) => b.at - a.at);
  }

  /** Deletes the server's whole trail (the bot left it). */
  forget(guildId: string): Promise<void> {
    return this.serial.run(guildId, async () => {
      for (const d of await this.days(guildId)) await this.keyv.delete(dayKey(guildId, d));
      await this.keyv.delete(indexKey(guildId));
    });
  }

  private async days(guildId: string): Promise<number[]> {
    const raw: unknown = await this.keyv.get(indexKey(guildId));
    return Array.isArray(raw) ? raw.filter((d): d is number => Number.isInteger(d)) : [];
  }

  private async bucket(guildId: string, day: number): Promise<HistoryEntry[]> {
    const raw: unknown = await this.keyv.get(dayKey(guildId, day));
    return Array.isArray(raw) ? raw.filter(isEntry) : [];
  }
}

function dayKey(guildId: string, day: number): string {
  return `${guildId}/${String(day)}`;
}

function indexKey(guildId: string): string {
  return `${guildId}/days`;
}

function matches(entry: HistoryEntry, query: HistoryQuery): boolean {
  if (query.userId !== undefined && entry.authorId !== query.userId && entry.moderatorId !== query.userId) return false;
  return query.target === undefined || matchesTarget(entry, query.target);
}

/**
 * Whether the entry is about `target`: the same key or text, or (for a domain) a URL or subdomain on
 * it. Case-insensitive, and a trailing dot or `https://` typed by a moderator is ignored.
 */
export function matchesTarget(entry: Pick<HistoryEntry, 'key' | 'text'>, target: string): boolean {
  const wanted = target.trim().toLowerCase().replace(/\.$/, '');
  if (wanted === '') return false;
  const text = entry.text?.toLowerCase();
  if (entry.key?.toLowerCase() === wanted || entry.key?.toLowerCase().endsWith(`:${wanted}`) === true || text === wanted) return true;
  if (text === undefined || wanted.includes('/')) return false;
  const host = hostOf(text);
  return host !== null && (host === wanted || host.endsWith(`.${wanted}`));
}

function hostOf(text: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(text)) return /^[a-z0-9.-]+$/.test(text) ? text : null;
  try {
    return new URL(text).hostname.replace(/\.$/, '');
  } catch {
    return null;
  }
}

function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}
