/**
 * The quota gate: every VirusTotal request waits here for a slot under the key's per-minute rate
 * (sliding window) and its UTC day/month budgets, in priority order (command > button > autoscan >
 * poll, FIFO within one). One p-queue with concurrency 1 *grants slots*; the HTTP request itself runs
 * outside the queue so requests overlap while slots are still handed out in order. The queue is
 * paused whenever no slot is free, so the next grant goes to whoever has the highest priority at the
 * moment a slot frees, not to whoever happened to be first in line when the window filled.
 * A slot counts from VirusTotal's answer, not from the grant (see SlidingWindow in quota-state.ts).
 * The file is long because one class owns the state that must change together (queue, window,
 * pause, budgets); its pure parts live in quota-state.ts, quota-line.ts and retry.ts.
 */
import type { Keyv } from 'keyv';
import PQueue from 'p-queue';
import { timerDelay } from '../core/timers.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { CallOptions, Priority, RequestGate } from './backend.js';
import { QuotaExceededError, QuotaExhaustedError } from './errors.js';
import {
  SlidingWindow, blockBound, emptySnapshot, nextUtcDay, nextUtcMonth, parseSnapshot, rolled, serialiseSnapshot, utcDayKey, utcMonthKey,
  withinBounds,
} from './quota-state.js';
import type { QuotaSnapshot, WindowSlot } from './quota-state.js';
import { WaitingLine, type Waiter } from './quota-line.js';
import { runGated, type SlotSource } from './quota-run.js';
import { DEFAULT_RETRY, GateClosedError, abortableSleep } from './retry.js';
import type { RetryOptions } from './retry.js';

export { GateClosedError } from './retry.js';

/**
 * A command or button would have taken a day slot from the share kept for auto-scan
 * (`autoscan_reserve`); nothing was sent. A QuotaExhaustedError for the day, so every caller that
 * stops on a spent budget stops here too; `resetAt` is when the day budget starts again.
 */
export class QuotaReservedError extends QuotaExhaustedError {
  constructor(resetAt: Date) {
    super('day', resetAt);
    this.name = 'QuotaReservedError';
    this.message = `The rest of today's VirusTotal quota is kept for auto-scan until ${resetAt.toISOString()}`;
  }
}
export type { RetryOptions } from './retry.js';

const STATE_KEY = 'gate-state';
/** 429 QuotaExceeded answers in a row, each after a full window's wait, that mean "budget spent". */
const QUOTA_STRIKES = 3;
const PRIORITY: Readonly<Record<Priority, number>> = Object.freeze({ command: 3, button: 2, autoscan: 1, poll: 0 });
const PRIORITY_NAMES: ReadonlyMap<number, Priority> = new Map(Object.entries(PRIORITY).map(([name, rank]) => [rank, name as Priority]));

export interface QuotaGateOptions {
  /** Requests per window (VT_RATE_PER_MINUTE). */
  perMinute: number;
  /** Requests per UTC day (VT_QUOTA_PER_DAY). */
  perDay: number;
  /** Requests per UTC month (VT_QUOTA_PER_MONTH). */
  perMonth: number;
  /** Where the counters live (the store's `quota` namespace), so budgets survive restarts. */
  counters: Keyv;
  log?: Logger;
  /** Milliseconds since the epoch; defaults to Date.now. */
  clock?: () => number;
  /** Length of the rate window; default 60 000. Tests use 1000 to mean "per second". */
  windowMs?: number;
  retry?: Partial<RetryOptions>;
  /** Queue waits and 429s received (vtguard_queue_wait_seconds, vtguard_rate_limited_total). */
  metrics?: Metrics;
}

export interface WindowUsage {
  used: number;
  limit: number;
  resetAt: Date;
}

/** What `/vt quota` shows. */
export interface QuotaUsage {
  minute: WindowUsage;
  day: WindowUsage;
  month: WindowUsage;
  /** Requests waiting for a slot. */
  queued: number;
  /** Set while a 429 paused the gate. */
  paused?: Date;
}


/** What the app and `/vt quota` use of a gate, whichever process(es) it serves. */
export interface QuotaGateApi extends RequestGate {
  /** Requests of this process waiting for a slot. */
  readonly size: number;
  /** This process's waiting requests by priority. */
  queuedByPriority(): Record<Priority, number>;
  /** Minute, day and month use against their limits. */
  usage(): Promise<QuotaUsage>;
  /** Stops granting; waiting requests are rejected with GateClosedError. */
  close(): Promise<void>;
}

/** The gate every VirusTotal request passes, for one process. Create with {@link QuotaGate.open}. */
export class QuotaGate implements QuotaGateApi {
  private readonly queue = new PQueue({ concurrency: 1 });
  private readonly waiting: WaitingLine;
  private readonly window: SlidingWindow;
  private readonly clock: () => number;
  private readonly retry: RetryOptions;
  private state: QuotaSnapshot;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private saving: Promise<void> | undefined;
  private dirty = false;
  /** QuotaExceeded answers since the last success (see quotaExceeded). */
  private quotaStrikes = 0;

  private constructor(private readonly options: QuotaGateOptions, snapshot: QuotaSnapshot) {
    this.clock = options.clock ?? Date.now;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.state = snapshot;
    this.window = new SlidingWindow(options.perMinute, options.windowMs ?? 60_000, snapshot.sends);
    this.waiting = new WaitingLine(() => this.estimator(), (error) => options.log?.warn({ module: 'quota', err: error }, 'onQueued callback threw'));
  }

  /** Opens the gate with the counters persisted by an earlier run (budgets survive restarts). */
  static async open(options: QuotaGateOptions): Promise<QuotaGate> {
    for (const [name, value] of [['perMinute', options.perMinute], ['perDay', options.perDay], ['perMonth', options.perMonth]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`Expected ${name} to be a whole number ≥ 1, got ${String(value)}`);
    }
    const now = (options.clock ?? Date.now)();
    const raw: unknown = await options.counters.get(STATE_KEY);
    let snapshot = parseSnapshot(raw);
    if (snapshot === undefined) {
      if (raw !== undefined) options.log?.warn({ module: 'quota' }, 'stored quota counters unreadable; starting from zero');
      snapshot = emptySnapshot(now);
    }
    const bounded = withinBounds(snapshot, now, options.windowMs ?? 60_000);
    if (bounded.dropped.length > 0) options.log?.warn({ module: 'quota', dropped: bounded.dropped }, 'stored quota state out of bounds; ignored');
    snapshot = bounded.snapshot;
    return new QuotaGate(options, snapshot);
  }

  /** Requests waiting for a slot. */
  get size(): number {
    return this.waiting.size;
  }

  /** Requests waiting for a slot, by priority (vtguard_queue_length). */
  queuedByPriority(): Record<Priority, number> {
    const counts: Record<Priority, number> = { command: 0, button: 0, autoscan: 0, poll: 0 };
    for (const waiter of this.waiting.all()) {
      const name = PRIORITY_NAMES.get(waiter.priority);
      if (name !== undefined) counts[name] += 1;
    }
    return counts;
  }

  /** {@inheritDoc RequestGate.run} */
  run<T>(send: (signal: AbortSignal) => Promise<T>, options: CallOptions): Promise<T> {
    return runGated(this.slots, send, options, this.retry, this.options.log);
  }

  /** The gate as the retry loop sees it (quota-run.ts). */
  private readonly slots: SlotSource<WindowSlot> = {
    acquire: (options) => this.acquire(options),
    settle: (slot) => this.settle(slot),
    succeeded: () => {
      this.quotaStrikes = 0;
    },
    pause: (ms) => this.pause(Number.isFinite(ms) ? ms : this.window.windowMs),
    quotaExceeded: (error) => this.quotaExceeded(error),
    pausedUntil: () => this.state.pausedUntil,
    rateLimited: () => this.options.metrics?.inc('vtguard_rate_limited_total', 'Rate-limit answers (429) received from VirusTotal'),
  };

  /** Minute, day and month use against their limits, for `/vt quota`. */
  usage(): Promise<QuotaUsage> {
    const now = this.clock();
    const times = this.window.times(now);
    const blocked = this.state.blocked !== null && now < this.state.blocked.until ? this.state.blocked.window : undefined;
    const day = rolled(this.state.day, utcDayKey(now));
    const month = rolled(this.state.month, utcMonthKey(now));
    const usage: QuotaUsage = {
      minute: { used: times.length, limit: this.options.perMinute, resetAt: new Date((times[0] ?? now - this.window.windowMs) + this.window.windowMs) },
      day: { used: blocked === 'day' ? Math.max(day.used, this.options.perDay) : day.used, limit: this.options.perDay, resetAt: new Date(nextUtcDay(now)) },
      month: { used: blocked === 'month' ? Math.max(month.used, this.options.perMonth) : month.used, limit: this.options.perMonth, resetAt: new Date(nextUtcMonth(now)) },
      queued: this.size,
    };
    if (this.state.pausedUntil > now) usage.paused = new Date(this.state.pausedUntil);
    return Promise.resolve(usage);
  }

  /**
   * Milliseconds until the request at `position` (1 = next) gets a slot, assuming the window stays
   * saturated: the free slots go first, then each send frees one when it leaves the window.
   */
  estimateWait(position: number): number {
    return this.estimator()(position);
  }

  /** One snapshot of the window (and any pause), for estimating many positions at once. */
  private estimator(): (position: number) => number {
    const now = this.clock();
    return this.window.estimator(now, Math.max(now, this.state.pausedUntil));
  }

  /** Stops granting, rejects waiting requests with GateClosedError, and saves the counters. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    for (const waiter of this.waiting.all()) waiter.controller.abort(new GateClosedError());
    this.queue.clear();
    this.dirty = true;
    this.persist();
    while (this.saving !== undefined) await this.saving;
  }

  /** Waits in the queue for a slot; returns it once granted (counted against every budget). */
  private async acquire(options: CallOptions): Promise<WindowSlot> {
    this.throwIfUnavailable(this.clock());
    this.throwIfReserved(this.clock(), options);
    options.signal?.throwIfAborted();
    const mustWait = this.queue.isPaused || this.queue.size > 0 || this.queue.pending > 0 || this.window.freeAt(this.clock()) > this.clock();
    const waiter: Waiter = { priority: PRIORITY[options.priority], onQueued: options.onQueued, announce: mustWait, lastPosition: 0, controller: new AbortController() };
    const forwardAbort = (): void => waiter.controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', forwardAbort, { once: true });
    this.waiting.insert(waiter);
    this.schedule();
    const queuedAt = this.clock();
    try {
      const slot = await this.queue.add(() => this.grant(waiter, options), { priority: waiter.priority, signal: waiter.controller.signal });
      this.options.metrics?.observe('vtguard_queue_wait_seconds', { priority: options.priority }, Math.max(0, this.clock() - queuedAt) / 1000);
      return slot;
    } finally {
      options.signal?.removeEventListener('abort', forwardAbort);
      this.waiting.remove(waiter);
    }
  }

  /** Runs inside the queue (one at a time): takes the slot, or fails fast on a spent budget. */
  private async grant(waiter: Waiter, options: CallOptions): Promise<WindowSlot> {
    this.waiting.remove(waiter);
    for (;;) {
      const now = this.clock();
      this.throwIfUnavailable(now);
      // Checked again at the grant: others may have spent the day budget while this one waited.
      this.throwIfReserved(now, options);
      const freeAt = Math.max(this.window.freeAt(now), this.state.pausedUntil);
      if (freeAt <= now) {
        const slot = this.consume(now);
        this.schedule();
        return slot;
      }
      // Only reached when a 429 paused the gate after this grant started.
      await abortableSleep(freeAt - now, waiter.controller.signal);
    }
  }

  /** The answer is in: the slot's window position is now known, which may free a slot sooner. */
  private settle(slot: WindowSlot): void {
    this.window.settle(slot, this.clock());
    if (this.closed) return; // close() saved the counters; the store may already be closed
    this.persist();
    this.schedule();
  }

  private consume(now: number): WindowSlot {
    this.state.day = rolled(this.state.day, utcDayKey(now));
    this.state.month = rolled(this.state.month, utcMonthKey(now));
    this.state.day.used += 1;
    this.state.month.used += 1;
    const slot = this.window.record(now);
    this.persist();
    return slot;
  }

  /** Closed, or a known-exhausted budget: reject instead of sending. */
  private throwIfUnavailable(now: number): void {
    if (this.closed) throw new GateClosedError();
    const { blocked } = this.state;
    if (blocked !== null && now < blocked.until) throw new QuotaExhaustedError(blocked.window, new Date(blocked.until));
    if (rolled(this.state.month, utcMonthKey(now)).used >= this.options.perMonth) throw new QuotaExhaustedError('month', new Date(nextUtcMonth(now)));
    if (rolled(this.state.day, utcDayKey(now)).used >= this.options.perDay) throw new QuotaExhaustedError('day', new Date(nextUtcDay(now)));
  }

  /**
   * Commands and buttons stop where the share kept for auto-scan begins: a day slot is refused once
   * `used >= perDay * (1 - reserve/100)`, so one member burning through `/vt` cannot leave the
   * server unprotected for the rest of the day. Auto-scan and polls are not limited by it.
   */
  private throwIfReserved(now: number, options: CallOptions): void {
    const reserve = Math.min(100, Math.max(0, options.reservePercent ?? 0));
    if (reserve === 0 || (options.priority !== 'command' && options.priority !== 'button')) return;
    const used = rolled(this.state.day, utcDayKey(now)).used;
    if (used >= this.options.perDay * (1 - reserve / 100)) throw new QuotaReservedError(new Date(nextUtcDay(now)));
  }

  /** Pauses or resumes the queue so that a task only starts when a slot is free (or must be refused). */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    const now = this.clock();
    try {
      this.throwIfUnavailable(now);
    } catch {
      this.queue.start(); // drain: every waiter is refused at once
      return;
    }
    const freeAt = Math.max(this.window.freeAt(now), this.state.pausedUntil);
    if (freeAt <= now) {
      this.queue.start();
      return;
    }
    this.queue.pause();
    if (this.waiting.size > 0 || this.queue.size > 0) this.timer = setTimeout(() => this.schedule(), timerDelay(freeAt - now));
  }

  /**
   * 429 TooManyRequests: the whole gate waits, never longer than one rate window whatever
   * Retry-After says (a rate limit frees within a window; a larger value is a broken or hostile
   * answer, and `Retry-After: 100000000` would otherwise pause the bot until 2030).
   */
  private pause(ms: number): void {
    const now = this.clock();
    this.state.pausedUntil = Math.min(Math.max(this.state.pausedUntil, now + ms), now + this.window.windowMs);
    this.options.log?.warn({ module: 'quota', until: new Date(this.state.pausedUntil).toISOString() }, 'VirusTotal rate limit hit; gate paused');
    this.persist();
    this.schedule();
  }

  /**
   * 429 QuotaExceeded. VirusTotal answers it for the minute, the day and the month quota alike, so
   * one alone is a rate limit (the gate waits a window and tries again); only when it persists
   * across full windows, or Retry-After points past the window, is the budget taken as spent.
   * Treating the first one as "day spent" would silence the bot for hours after one minute's
   * overrun (a key shared with another tool does that).
   */
  private quotaExceeded(error: QuotaExceededError): QuotaExhaustedError | null {
    this.quotaStrikes += 1;
    const wait = error.retryAfterMs;
    if (this.quotaStrikes >= QUOTA_STRIKES || (wait !== undefined && wait > this.window.windowMs)) {
      this.quotaStrikes = 0;
      return this.block(error);
    }
    this.pause(wait ?? this.window.windowMs);
    return null;
  }

  /**
   * The day budget is spent until UTC midnight, unless Retry-After says otherwise: a wait past
   * midnight can only be the month budget, and no wait outlasts the next UTC month.
   */
  private block(error: QuotaExceededError): QuotaExhaustedError {
    const now = this.clock();
    const asked = error.retryAfterMs === undefined || error.retryAfterMs <= this.window.windowMs ? nextUtcDay(now) : now + error.retryAfterMs;
    const window = asked <= nextUtcDay(now) ? 'day' : 'month';
    const until = Math.min(asked, blockBound(window, now));
    this.state.blocked = { window, until };
    this.options.log?.warn({ module: 'quota', until: new Date(until).toISOString() }, 'VirusTotal says the quota is spent');
    this.persist();
    this.schedule();
    return new QuotaExhaustedError(window, new Date(until));
  }

  /** Saves the counters in the background; writes coalesce so a burst costs a few writes, not one each. */
  private persist(): void {
    this.dirty = true;
    if (this.saving !== undefined) return;
    this.saving = (async () => {
      while (this.dirty) {
        this.dirty = false;
        const now = this.clock();
        await this.options.counters.set(STATE_KEY, serialiseSnapshot({ ...this.state, sends: this.window.times(now) }));
      }
    })()
      .catch((error: unknown) => this.options.log?.error({ module: 'quota', err: error }, 'could not save quota counters'))
      .finally(() => {
        this.saving = undefined;
        if (this.dirty) this.persist();
      });
  }
}
