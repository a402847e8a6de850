/**
 * The scanner's report cache in the store: reports for `cacheTtlMs`, "VirusTotal has not seen it"
 * for a short while. Keys are `<kind>:<VirusTotal id>` (`file:<sha256>`, `url:<sha256 of the
 * canonical URL>`, `domain:<name>`, `ip:<address>`), plus `file:<md5|sha1>` aliases. Entries are
 * checked on read: an old or damaged entry is a miss, never a crash. The entries used lately are
 * also kept parsed in memory for up to a minute: a busy server's favourite sites then cost no store
 * read, and what another process sharing the store changed shows here within that minute.
 */
import type { Keyv } from 'keyv';
import { objectKey } from '../core/objects.js';
import type { Logger } from '../log.js';
import type { Report } from '../vt/report.js';

/** A cache hit: a report, or `null` for a recent "not found". */
export interface CacheHit {
  report: Report | null;
}

const KINDS = new Set(['file', 'url', 'domain', 'ip']);
/** Entries kept parsed in memory: bounded, a report with its engines is a few kilobytes. */
const HOT_ENTRIES = 256;
/** The longest a memory copy is trusted, so a shared store's newer answer is seen soon. */
const HOT_MS = 60_000;
const STAT_FIELDS = ['malicious', 'suspicious', 'undetected', 'harmless', 'timeout'] as const;

/** The cache key of the object a report describes. */
export function keyOfReport(report: Report): string {
  return objectKey(report);
}

export class ReportCache {
  /** Recently read or written entries, oldest first (a Map keeps insertion order). */
  private readonly hot = new Map<string, { hit: CacheHit; until: number }>();

  constructor(
    private readonly keyv: Keyv,
    private readonly ttlMs: number,
    private readonly notFoundTtlMs: number,
    private readonly log?: Logger,
  ) {}

  async get(key: string): Promise<CacheHit | undefined> {
    const now = Date.now();
    const kept = this.hot.get(key);
    if (kept !== undefined && kept.until > now) {
      this.keep(key, kept.hit, kept.until);
      return kept.hit;
    }
    this.hot.delete(key);
    let stored: { value?: unknown; expires?: number | null | undefined } | undefined;
    try {
      stored = await this.keyv.getRaw(key);
    } catch (error) {
      this.log?.warn({ module: 'scanner', err: error, key }, 'cache read failed; asking VirusTotal');
      return undefined;
    }
    const hit = toHit(stored?.value);
    if (hit !== undefined) this.keep(key, hit, Math.min(stored?.expires ?? Number.POSITIVE_INFINITY, now + HOT_MS));
    return hit;
  }

  /** Stores a report under `keys` and under its own id. */
  async putReport(keys: readonly string[], report: Report): Promise<void> {
    if (this.ttlMs <= 0) return; // CACHE_TTL_MINUTES=0: never reuse (keyv would read 0 as "forever")
    const all = new Set([...keys, keyOfReport(report)]);
    await this.write([...all], { report }, this.ttlMs);
  }

  async putNotFound(key: string): Promise<void> {
    if (this.notFoundTtlMs <= 0) return;
    await this.write([key], { notFound: true }, this.notFoundTtlMs);
  }

  /** Puts `key` at the young end of the memory copies, dropping the oldest past the bound. */
  private keep(key: string, hit: CacheHit, until: number): void {
    this.hot.delete(key);
    this.hot.set(key, { hit, until });
    if (this.hot.size > HOT_ENTRIES) this.hot.delete(this.hot.keys().next().value as string);
  }

  /** A failed cache write costs a later request, not this scan. */
  private async write(keys: string[], value: object, ttl: number): Promise<void> {
    const hit = toHit(value);
    const until = Date.now() + Math.min(ttl, HOT_MS);
    for (const key of keys) if (hit !== undefined) this.keep(key, hit, until);
    try {
      await Promise.all(keys.map((key) => this.keyv.set(key, value, ttl)));
    } catch (error) {
      this.log?.warn({ module: 'scanner', err: error, keys }, 'cache write failed');
    }
  }
}

/** The parsed entry, or undefined when the stored value is not one (old or damaged). */
function toHit(raw: unknown): CacheHit | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const entry = raw as { notFound?: unknown; report?: unknown };
  if (entry.notFound === true) return { report: null };
  return isReport(entry.report) ? { report: entry.report } : undefined;
}

/** A structural check of a cached Report: enough that the embeds can rely on its shape. */
export function isReport(value: unknown): value is Report {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const stats = r.stats as Record<string, unknown> | null | undefined;
  const facts = r.facts as Record<string, unknown> | null | undefined;
  const votes = r.votes as Record<string, unknown> | null | undefined;
  return (
    typeof r.kind === 'string' && KINDS.has(r.kind) && typeof r.id === 'string' && typeof r.permalink === 'string' &&
    Array.isArray(r.engines) && typeof r.reputation === 'number' && (r.lastAnalysisAt === null || typeof r.lastAnalysisAt === 'string') &&
    typeof stats === 'object' && stats !== null && STAT_FIELDS.every((f) => typeof stats[f] === 'number') &&
    typeof facts === 'object' && facts !== null && facts.kind === r.kind &&
    typeof votes === 'object' && votes !== null && typeof votes.harmless === 'number' && typeof votes.malicious === 'number' &&
    (r.basis === undefined || isBasis(r.basis))
  );
}

function isBasis(value: unknown): boolean {
  const basis = value as { source?: unknown; urls?: unknown; worst?: { positives?: unknown; total?: unknown } | null } | null;
  if (typeof basis !== 'object' || basis === null || basis.source !== 'flagged-urls' || typeof basis.urls !== 'number') return false;
  return basis.worst === null || (typeof basis.worst === 'object' && typeof basis.worst.positives === 'number' && typeof basis.worst.total === 'number');
}
