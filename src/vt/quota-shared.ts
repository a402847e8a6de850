/**
 * The quota gate for several processes sharing Redis: one sliding window, one day and one month
 * budget, one waiting line in priority order for all of them (quota-script.ts). N processes
 * together never exceed the rate, and a command on any process gets the next free slot ahead of
 * every process's auto-scan backlog. Inside a process only the best local waiter asks Redis (one
 * round trip per grant or wait); the rest wait locally, but are already in the shared line so
 * their place counts across processes.
 *
 * Without Redis there is no shared quota, so nothing is sent: waiting and new requests fail with
 * {@link QuotaUnavailableError} until the connection is back.
 */
import { randomUUID } from 'node:crypto';
import { timerDelay } from '../core/timers.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { CallOptions, Priority } from './backend.js';
import { QuotaExhaustedError, QuotaUnavailableError } from './errors.js';
import type { QuotaExceededError } from './errors.js';
import { QuotaReservedError, type QuotaGateApi, type QuotaUsage } from './quota.js';
import { ACQUIRE, PAUSE, SETTLE, USAGE, text, usageFromReply } from './quota-script.js';
import { runGated, type SlotSource } from './quota-run.js';
import { blockBound, nextUtcDay, nextUtcMonth, utcDayKey, utcMonthKey } from './quota-state.js';
import { DEFAULT_RETRY, GateClosedError, type RetryOptions } from './retry.js';
import { SharedWaiters, type SharedWaiter } from './quota-shared-line.js';

/** What the gate needs of a Redis client (node-redis fits). */
export interface ScriptRunner {
  readonly isReady: boolean;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export interface SharedQuotaOptions {
  perMinute: number;
  perDay: number;
  perMonth: number;
  redis: ScriptRunner;
  /** Key prefix, e.g. `vt-guard:quota:`. */
  prefix: string;
  log?: Logger;
  windowMs?: number;
  retry?: Partial<RetryOptions>;
  metrics?: Metrics;
}

const PRIORITY_RANK = { command: 0, button: 1, autoscan: 2, poll: 3 } as const;
/** A request still unanswered after this long counts as answered then (its process may be gone). */
const FLIGHT_BOUND_MS = 10 * 60_000;
/** A process that has not asked Redis for this long is gone; its waiters leave the line. */
const ALIVE_MS = 10_000;
/** No Redis call of the gate may take longer. */
const REDIS_DEADLINE_MS = 3000;
const QUOTA_STRIKES = 3;

interface Slot {
  member: string;
}

/** The shared gate; keeps the public API of QuotaGate (run, usage, size, close). */
export class SharedQuotaGate implements QuotaGateApi {
  private readonly process = randomUUID().slice(0, 8);
  private readonly windowMs: number;
  private readonly retry: RetryOptions;
  /** Wait between asks while another process's waiter is ahead: short against the window. */
  private readonly pollMs: number;
  private readonly line: SharedWaiters;
  private seq = 0;
  private closed = false;
  private pumping = false;
  private wake: (() => void) | undefined;
  private pausedUntilMs = 0;
  private strikes = 0;
  /** This process's waiters by priority, for `vtguard_queue_length`. */
  private readonly waitingBy: Record<Priority, number> = { command: 0, button: 0, autoscan: 0, poll: 0 };

  constructor(private readonly options: SharedQuotaOptions) {
    for (const [name, value] of [['perMinute', options.perMinute], ['perDay', options.perDay], ['perMonth', options.perMonth]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`Expected ${name} to be a whole number ≥ 1, got ${String(value)}`);
    }
    this.windowMs = options.windowMs ?? 60_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.pollMs = Math.max(2, Math.min(50, Math.floor(this.windowMs / 100)));
    this.line = new SharedWaiters(this.windowMs / options.perMinute, (error) => options.log?.warn({ module: 'quota', err: error }, 'onQueued callback threw'));
  }

  /** Requests of this process waiting for a slot. */
  get size(): number {
    return this.line.size;
  }

  /** This process's waiting requests by priority. */
  queuedByPriority(): Record<Priority, number> {
    return { ...this.waitingBy };
  }

  /** {@inheritDoc RequestGate.run} */
  run<T>(send: (signal: AbortSignal) => Promise<T>, options: CallOptions): Promise<T> {
    return runGated(this.slots, send, options, this.retry, this.options.log);
  }

  /**
   * A command or button may not take a day slot inside the share `autoscan_reserve` keeps for
   * auto-scan. Checked against the shared day count before joining the line (one extra round trip,
   * and only when a reserve is set); processes asking at the same instant may overshoot it by one.
   */
  private async throwIfReserved(options: CallOptions): Promise<void> {
    const reserve = Math.min(100, Math.max(0, options.reservePercent ?? 0));
    if (reserve === 0 || (options.priority !== 'command' && options.priority !== 'button')) return;
    const { day } = await this.usage();
    if (day.used >= this.options.perDay * (1 - reserve / 100)) throw new QuotaReservedError(new Date(nextUtcDay(Date.now())));
  }

  /**
   * Waits for a slot, timing the wait for `vtguard_queue_wait_seconds`. Joins the line in the same
   * step when no reserve applies, so a caller that asks for `usage()` next already counts it.
   */
  private timedAcquire(options: CallOptions): Promise<Slot> {
    const reserve = options.reservePercent ?? 0;
    const interactive = options.priority === 'command' || options.priority === 'button';
    if (reserve > 0 && interactive) return this.throwIfReserved(options).then(() => this.waitForSlot(options));
    return this.waitForSlot(options);
  }

  private waitForSlot(options: CallOptions): Promise<Slot> {
    const queuedAt = Date.now();
    this.waitingBy[options.priority] += 1;
    return this.acquire(options)
      .then((slot) => {
        this.options.metrics?.observe('vtguard_queue_wait_seconds', { priority: options.priority }, Math.max(0, Date.now() - queuedAt) / 1000);
        return slot;
      })
      .finally(() => {
        this.waitingBy[options.priority] -= 1;
      });
  }

  private readonly slots: SlotSource<Slot> = {
    acquire: (options) => this.timedAcquire(options),
    settle: (slot) => this.fire(SETTLE, [this.key('window')], [slot.member], 'could not settle a quota slot'),
    succeeded: () => {
      this.strikes = 0;
    },
    pause: (ms) => this.pause(Math.min(Number.isFinite(ms) ? ms : this.windowMs, this.windowMs)),
    quotaExceeded: (error) => this.quotaExceeded(error),
    pausedUntil: () => this.pausedUntilMs,
    rateLimited: () => this.options.metrics?.inc('vtguard_rate_limited_total', 'Rate-limit answers (429) received from VirusTotal'),
  };

  /** Use across every process sharing the Redis, for `/vt quota`. */
  async usage(): Promise<QuotaUsage> {
    const now = Date.now();
    const reply = (await this.call(USAGE, [this.key('window'), this.dayKey(now), this.monthKey(now), this.key('waiting'), this.key('pause'), this.key('blocked')], [String(this.windowMs)])) as unknown[];
    return usageFromReply(reply, this.options, this.windowMs);
  }

  /** Stops granting, rejects this process's waiters with GateClosedError and takes them out of the shared line. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    await this.leaveLine(this.line.rejectAll(new GateClosedError()));
  }

  /** Takes refused waiters out of the shared line (best effort: a gone process's entries are dropped by the script). */
  private async leaveLine(members: string[]): Promise<void> {
    if (members.length === 0) return;
    await this.call(`return redis.call('ZREM', KEYS[1], unpack(ARGV))`, [this.key('waiting')], members).catch(() => undefined);
  }

  private acquire(options: CallOptions): Promise<Slot> {
    if (this.closed) return Promise.reject(new GateClosedError());
    options.signal?.throwIfAborted();
    if (!this.options.redis.isReady) return Promise.reject(new QuotaUnavailableError());
    // Zero-padded: Redis orders equal scores by member, and that must be this process's FIFO order too.
    const member = `${this.process}|${String(++this.seq).padStart(12, '0')}`;
    const score = PRIORITY_RANK[options.priority] * 1e13 + Date.now();
    return new Promise<Slot>((resolve, reject) => {
      const waiter: SharedWaiter = { member, score, onQueued: options.onQueued, lastPosition: 0, resolve: () => resolve({ member }), reject };
      const onAbort = (): void => {
        if (!this.line.remove(waiter)) return;
        void this.leaveLine([member]);
        reject(options.signal?.reason as Error);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      waiter.done = () => options.signal?.removeEventListener('abort', onAbort);
      this.line.insert(waiter);
      // In the shared line at once, so `/vt quota` on any process counts it and its rank holds.
      this.fire(`return redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[2])`, [this.key('waiting')], [String(score), member], 'could not join the shared quota line');
      if (this.pumping) this.wake?.();
      else void this.pump();
    });
  }

  /** Asks Redis for the best local waiter's slot until the local line is empty. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (let head = this.line.head(); head !== undefined && !this.closed; head = this.line.head()) {
        let reply: unknown[];
        try {
          reply = (await this.call(ACQUIRE, this.acquireKeys(), this.acquireArgs(head))) as unknown[];
        } catch (error) {
          this.options.log?.warn({ module: 'quota', err: error }, 'shared quota unreachable; waiting requests refused');
          await this.leaveLine(this.line.rejectAll(new QuotaUnavailableError(error)));
          return;
        }
        const [status, value, until] = [Number(text(reply[0])), text(reply[1]), text(reply[2])];
        const redisNow = Number(text(reply[3]));
        if (status === 0) {
          // Aborted while Redis granted: the slot was not used, so it counts from now, not for the flight bound.
          if (!this.line.grant(head)) this.slots.settle({ member: head.member });
          continue;
        }
        if (status === 2) {
          const window = value === 'month' ? 'month' : 'day';
          const resetAt = Number(until) > 0 ? Number(until) : window === 'day' ? nextUtcDay(redisNow) : nextUtcMonth(redisNow);
          // A spent budget refuses everyone here at once, as the one-process gate does.
          await this.leaveLine(this.line.rejectAll(new QuotaExhaustedError(window, new Date(resetAt))));
          continue;
        }
        const wait = Math.max(1, Number(value));
        this.line.announce(wait);
        await this.sleep(wait > this.pollMs ? wait : this.pollMs);
      }
    } finally {
      this.pumping = false;
    }
  }

  private acquireKeys(): string[] {
    const now = Date.now();
    return [this.key('window'), this.key('waiting'), this.dayKey(now), this.monthKey(now), this.key('pause'), this.key('blocked')];
  }

  private acquireArgs(head: SharedWaiter): string[] {
    const { perMinute, perDay, perMonth } = this.options;
    return [String(this.windowMs), String(perMinute), String(perDay), String(perMonth), head.member, String(head.score), String(FLIGHT_BOUND_MS),
      this.key('alive:'), this.process, String(2 * 86_400_000), String(32 * 86_400_000), String(this.pollMs), String(ALIVE_MS)];
  }

  /** Sleeps up to `ms`; a new local waiter wakes it (it may outrank the current head). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), timerDelay(ms));
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }

  private pause(ms: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, Date.now() + ms);
    this.options.log?.warn({ module: 'quota', until: new Date(this.pausedUntilMs).toISOString() }, 'VirusTotal rate limit hit; every process paused');
    this.fire(PAUSE, [this.key('pause')], [String(Math.max(1, Math.round(ms)))], 'could not share a 429 pause');
  }

  /** As in QuotaGate: one 429 QuotaExceeded is a rate limit; repeated ones (or a long Retry-After) mean the budget is spent. */
  private quotaExceeded(error: QuotaExceededError): QuotaExhaustedError | null {
    this.strikes += 1;
    const wait = error.retryAfterMs;
    if (this.strikes < QUOTA_STRIKES && (wait === undefined || wait <= this.windowMs)) {
      this.pause(wait ?? this.windowMs);
      return null;
    }
    this.strikes = 0;
    const now = Date.now();
    const asked = wait === undefined || wait <= this.windowMs ? nextUtcDay(now) : now + wait;
    const window = asked <= nextUtcDay(now) ? 'day' : 'month';
    const until = Math.min(asked, blockBound(window, now));
    this.options.log?.warn({ module: 'quota', until: new Date(until).toISOString() }, 'VirusTotal says the quota is spent');
    this.fire(`return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])`, [this.key('blocked')], [`${window}:${String(until)}`, String(Math.max(1, until - now))], 'could not share a spent budget');
    return new QuotaExhaustedError(window, new Date(until));
  }

  /** One script call with a deadline: a hung Redis must not hang the gate. */
  private call(script: string, keys: string[], args: string[]): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${String(REDIS_DEADLINE_MS)} ms`)), REDIS_DEADLINE_MS);
    });
    return Promise.race([this.options.redis.eval(script, { keys, arguments: args }), deadline]).finally(() => clearTimeout(timer));
  }

  /** A write whose failure costs accuracy, not the request: logged, never thrown. */
  private fire(script: string, keys: string[], args: string[], what: string): void {
    this.call(script, keys, args).catch((error: unknown) => this.options.log?.warn({ module: 'quota', err: error }, what));
  }

  private key(name: string): string {
    return `${this.options.prefix}${name}`;
  }

  private dayKey(now: number): string {
    return this.key(`day:${utcDayKey(now)}`);
  }

  private monthKey(now: number): string {
    return this.key(`month:${utcMonthKey(now)}`);
  }
}
