/**
 * One server's audit-trail day, stored as a chain of small pages: appending costs one small page's
 * read and write however busy the day is (one growing record per day cost a rewrite of the whole
 * day, up to thousands of entries, for every message scanned). The day's head record names its
 * first and last page; a day past its bound loses its oldest pages whole.
 */
import type { Keyv } from 'keyv';

/** Entries per page: small enough that an append is cheap, large enough that a day is few reads. */
export const PAGE_ENTRIES = 100;

interface DayHead {
  first: number;
  last: number;
}

/** A day's pages of `Entry`; what is read back is checked with `isEntry` (the store is not trusted blindly). */
export class DayPages<Entry> {
  private readonly pageSize: number;

  /** `maxPerDay`: the newest this many entries of a day are kept. */
  constructor(private readonly keyv: Keyv, private readonly maxPerDay: number, private readonly isEntry: (v: unknown) => v is Entry) {
    this.pageSize = Math.max(1, Math.min(PAGE_ENTRIES, maxPerDay));
  }

  /** Adds `entries` (oldest first) at the end of the day, then drops pages older than the bound. */
  async append(guildId: string, day: number, entries: readonly Entry[]): Promise<void> {
    const head = await this.head(guildId, day);
    let first = head?.first ?? 0;
    let last = head?.last ?? 0;
    let page = head === null ? [] : await this.page(guildId, day, last);
    const changed = new Map<number, Entry[]>([[last, page]]);
    for (const entry of entries) {
      if (page.length >= this.pageSize) {
        last += 1;
        page = [];
        changed.set(last, page);
      }
      page.push(entry);
    }
    for (const [n, entriesOfPage] of changed) await this.keyv.set(pageKey(guildId, day, n), entriesOfPage);
    // Every page but the last is full, so the entries after page p are (last - p - 1) pages plus the last one.
    const oldest = first;
    while (first < last && (last - first - 1) * this.pageSize + page.length >= this.maxPerDay) first += 1;
    for (let n = oldest; n < first; n += 1) await this.keyv.delete(pageKey(guildId, day, n));
    if (head?.first !== first || head.last !== last) await this.keyv.set(dayKey(guildId, day), { first, last });
  }

  /** The day's entries, oldest first, at most `maxPerDay`. */
  async read(guildId: string, day: number): Promise<Entry[]> {
    const head = await this.head(guildId, day);
    if (head === null) return [];
    const pages = await Promise.all(range(head).map((n) => this.page(guildId, day, n)));
    return pages.flat().slice(-this.maxPerDay);
  }

  async delete(guildId: string, day: number): Promise<void> {
    const head = await this.head(guildId, day);
    if (head !== null) for (const n of range(head)) await this.keyv.delete(pageKey(guildId, day, n));
    await this.keyv.delete(dayKey(guildId, day));
  }

  /**
   * The day's head; null for a day without entries. A day written by an earlier version (one array
   * of entries under the day's key) is turned into pages on first touch.
   */
  private async head(guildId: string, day: number): Promise<DayHead | null> {
    const raw: unknown = await this.keyv.get(dayKey(guildId, day));
    if (Array.isArray(raw)) return this.fromSingleRecord(guildId, day, raw.filter(this.isEntry).slice(-this.maxPerDay));
    if (typeof raw !== 'object' || raw === null) return null;
    const { first, last } = raw as Partial<DayHead>;
    return Number.isInteger(first) && Number.isInteger(last) && (first as number) <= (last as number) ? { first: first as number, last: last as number } : null;
  }

  private async fromSingleRecord(guildId: string, day: number, entries: Entry[]): Promise<DayHead | null> {
    if (entries.length === 0) {
      await this.keyv.delete(dayKey(guildId, day));
      return null;
    }
    const last = Math.ceil(entries.length / this.pageSize) - 1;
    for (let n = 0; n <= last; n += 1) await this.keyv.set(pageKey(guildId, day, n), entries.slice(n * this.pageSize, (n + 1) * this.pageSize));
    await this.keyv.set(dayKey(guildId, day), { first: 0, last });
    return { first: 0, last };
  }

  private async page(guildId: string, day: number, n: number): Promise<Entry[]> {
    const raw: unknown = await this.keyv.get(pageKey(guildId, day, n));
    return Array.isArray(raw) ? raw.filter(this.isEntry) : [];
  }
}

function range({ first, last }: DayHead): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function dayKey(guildId: string, day: number): string {
  return `${guildId}/${String(day)}`;
}

function pageKey(guildId: string, day: number, n: number): string {
  return `${guildId}/${String(day)}/${String(n)}`;
}
