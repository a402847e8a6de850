/**
 * The quota gate's bookkeeping, kept apart from the queueing: UTC day/month budget counters, the
 * sliding per-minute window, and their persisted form (parsed, never trusted: the stored JSON may be
 * from an older version or damaged, and then the gate starts from a clean but conservative state).
 */
import { z } from 'zod';

/** `2026-11-26`: the UTC day a request counts against. */
export function utcDayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `2026-11`: the UTC month a request counts against. */
export function utcMonthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The next UTC midnight after `ms`, when the day budget frees. */
export function nextUtcDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** The first instant of the next UTC month, when the month budget frees. */
export function nextUtcMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** A budget that resets with its calendar period (`key` names the period it counts). */
export interface PeriodCount {
  key: string;
  used: number;
}

/** What survives a restart. */
export interface QuotaSnapshot {
  day: PeriodCount;
  month: PeriodCount;
  /** Times (ms) of the sends still inside the sliding window. */
  sends: number[];
  /** The whole gate waits until then (a 429 TooManyRequests). 0 when not paused. */
  pausedUntil: number;
  /** VirusTotal said the budget is spent (429 QuotaExceeded) until then. */
  blocked: { window: 'day' | 'month'; until: number } | null;
}

const count = z.object({ key: z.string(), used: z.number().int().nonnegative() });
const snapshotSchema = z.object({
  version: z.literal(1),
  day: count,
  month: count,
  sends: z.array(z.number().finite()),
  pausedUntil: z.number().finite(),
  blocked: z.object({ window: z.enum(['day', 'month']), until: z.number().finite() }).nullable(),
});

/** The empty state for `now`. */
export function emptySnapshot(now: number): QuotaSnapshot {
  return { day: { key: utcDayKey(now), used: 0 }, month: { key: utcMonthKey(now), used: 0 }, sends: [], pausedUntil: 0, blocked: null };
}

/** Stored value → snapshot; `undefined` when absent or unreadable (the caller logs and starts empty). */
export function parseSnapshot(raw: unknown): QuotaSnapshot | undefined {
  const parsed = snapshotSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { version: _version, ...snapshot } = parsed.data;
  return snapshot;
}

/** Snapshot → the value stored in the counters keyv. */
export function serialiseSnapshot(snapshot: QuotaSnapshot): Record<string, unknown> {
  return { version: 1, ...snapshot, sends: [...snapshot.sends] };
}

/**
 * Drops what a stored snapshot may not hold at `now`: a pause longer than one rate window, a block
 * past the next reset of its period, sends in the future. A server's `Retry-After: 100000000` once
 * persisted would otherwise silence the bot for years, across every restart. Returns what was
 * dropped, for the log.
 */
export function withinBounds(snapshot: QuotaSnapshot, now: number, windowMs: number): { snapshot: QuotaSnapshot; dropped: string[] } {
  const dropped: string[] = [];
  const next = { ...snapshot };
  if (next.pausedUntil > now + windowMs) {
    dropped.push('pause');
    next.pausedUntil = 0;
  }
  if (next.blocked !== null && next.blocked.until > blockBound(next.blocked.window, now)) {
    dropped.push('block');
    next.blocked = null;
  }
  const sends = next.sends.filter((at) => at <= now);
  if (sends.length !== next.sends.length) dropped.push('future sends');
  next.sends = sends;
  return { snapshot: next, dropped };
}

/** The latest a block of `window` may last from `now`: that period's next reset. */
export function blockBound(window: 'day' | 'month', now: number): number {
  return window === 'day' ? nextUtcDay(now) : nextUtcMonth(now);
}

/** Counts against the current period, starting over when the period changed. */
export function rolled(countNow: PeriodCount, key: string): PeriodCount {
  return countNow.key === key ? countNow : { key, used: 0 };
}

/** A granted send inside the sliding window; `settled` once its answer arrived. */
export interface WindowSlot {
  at: number;
  settled: boolean;
}

/**
 * Sliding window: at most `limit` sends in any `windowMs`. A fixed interval (p-queue's
 * `intervalCap`) would let up to 2× the limit through across a window edge, and VirusTotal would
 * answer 429.
 *
 * VirusTotal counts a request when it arrives: after we granted it, and before we see the answer.
 * Only the answer time is a safe bound (a request delayed on the way could otherwise land in the
 * same window as later ones), so a slot counts from its answer, and a request still in flight
 * counts as if answered now: it leaves the window no earlier than `windowMs` from now.
 */
export class SlidingWindow {
  private slots: WindowSlot[];

  constructor(readonly limit: number, readonly windowMs: number, times: readonly number[] = []) {
    this.slots = [...times].sort((a, b) => a - b).slice(-limit).map((at) => ({ at, settled: true }));
  }

  /** When each counted send leaves the window, minus `windowMs`; oldest first. */
  times(now: number): number[] {
    this.slots = this.slots.filter((s) => !s.settled || s.at + this.windowMs > now);
    return this.slots.map((s) => (s.settled ? s.at : Math.max(s.at, now))).sort((a, b) => a - b);
  }

  /** When the next send may go (≤ now: at once). */
  freeAt(now: number): number {
    const times = this.times(now);
    if (times.length < this.limit) return now;
    return (times[times.length - this.limit] ?? now) + this.windowMs;
  }

  /**
   * Milliseconds until the request at a position (1 = next) gets a slot, if the window stays
   * saturated: the free slots go at `start` (now, or when a pause ends), then each counted send
   * frees one as it leaves the window, cycle after cycle.
   */
  estimator(now: number, start: number): (position: number) => number {
    const times = this.times(now);
    const free = this.limit - times.length;
    return (position) => {
      const index = Math.max(0, position - 1);
      if (index < free) return start - now;
      const k = index - free;
      const base = times[k % this.limit] ?? start;
      return Math.max(start, base + this.windowMs * (Math.floor(k / this.limit) + 1)) - now;
    };
  }

  record(now: number): WindowSlot {
    const slot = { at: now, settled: false };
    this.slots.push(slot);
    return slot;
  }

  /** The answer arrived: the slot now counts from `now`. */
  settle(slot: WindowSlot, now: number): void {
    slot.at = Math.max(slot.at, now);
    slot.settled = true;
  }
}
