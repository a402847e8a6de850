/**
 * The audit trail: every scan answer, action, vote and settings change per server, kept for the
 * server's `history_days`. Entries are grouped per server and UTC day (a backend of trail.ts: keyv
 * pages, or Redis lists), so pruning is deleting whole days and a query reads at most `history_days`
 * days. Writes are serialised per server, and entries recorded while a write is running go together
 * in the next one: a flood costs a few writes, not one per message.
 */
import { KeyedSerialQueue } from '../core/serial.js';
import type { TrailDays } from './trail.js';

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

/** Whether a stored value is a trail entry (what the store holds is checked, not trusted). */
export const isHistoryEntry = (v: unknown): v is HistoryEntry =>
  typeof v === 'object' && v !== null && typeof (v as HistoryEntry).at === 'number' && typeof (v as HistoryEntry).kind === 'string';

/** Entries waiting for a server's running write to finish; they are written together next. */
interface Batch {
  entries: HistoryEntry[];
  keepDays: number;
  written: Promise<void>;
}

export class HistoryStore {
  private readonly serial = new KeyedSerialQueue();
  private readonly waiting = new Map<string, Batch>();
  private readonly maxPerDay: number;

  /** The trail's bound per server and day is the backend's `maxPerDay` (MAX_ENTRIES_PER_DAY; tests lower it). */
  constructor(private readonly trail: TrailDays<HistoryEntry>) {
    this.maxPerDay = trail.maxPerDay;
  }

  /**
   * Records one or more entries in `guildId`'s trail and drops days older than `keepDays`. Settles
   * once the entries are written (with whatever else was recorded for the server meanwhile).
   */
  record(guildId: string, entries: HistoryEntry | readonly HistoryEntry[], keepDays: number): Promise<void> {
    const list: readonly HistoryEntry[] = isList(entries) ? entries : [entries];
    if (list.length === 0) return Promise.resolve();
    const waiting = this.waiting.get(guildId);
    if (waiting !== undefined) {
      waiting.entries.push(...list);
      // The oldest of a flood would fall off the day's bound anyway; the batch stays bounded.
      if (waiting.entries.length > this.maxPerDay) waiting.entries.splice(0, waiting.entries.length - this.maxPerDay);
      waiting.keepDays = keepDays;
      return waiting.written;
    }
    const batch: Batch = { entries: [...list], keepDays, written: Promise.resolve() };
    this.waiting.set(guildId, batch);
    batch.written = this.serial.run(guildId, () => {
      this.waiting.delete(guildId);
      return this.write(guildId, batch.entries, batch.keepDays);
    });
    return batch.written;
  }

  private async write(guildId: string, list: readonly HistoryEntry[], keepDays: number): Promise<void> {
    const days = await this.trail.days(guildId);
    const newest = Math.max(...list.map((e) => Math.floor(e.at / DAY_MS)));
    const touched = [...new Set(list.map((e) => Math.floor(e.at / DAY_MS)))].filter((d) => d > newest - keepDays);
    for (const day of touched) await this.trail.append(guildId, day, list.filter((e) => Math.floor(e.at / DAY_MS) === day));
    await this.trail.drop(guildId, days.filter((d) => d <= newest - keepDays));
  }

  /** The server's entries matching `query`, newest first, within `query.days`. */
  async recent(guildId: string, query: HistoryQuery): Promise<HistoryEntry[]> {
    const since = query.now - query.days * DAY_MS;
    const days = (await this.trail.days(guildId)).filter((d) => (d + 1) * DAY_MS > since).sort((a, b) => b - a);
    const found: HistoryEntry[] = [];
    for (const day of days) {
      const entries = (await this.trail.read(guildId, day)).filter((e) => e.at >= since && matches(e, query));
      found.push(...entries.reverse());
    }
    return found.sort((a, b) => b.at - a.at);
  }

  /** Deletes the server's whole trail (the bot left it). */
  forget(guildId: string): Promise<void> {
    return this.serial.run(guildId, async () => {
      await this.trail.drop(guildId, await this.trail.days(guildId));
    });
  }
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
