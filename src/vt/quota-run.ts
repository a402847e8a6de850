/**
 * One gated request with the gate's retries, whichever gate hands out the slots (the in-process
 * QuotaGate, or SharedQuotaGate over Redis): take a slot, send, give the slot back with its answer
 * time, and on a retryable failure decide between waiting out a 429 and backing off.
 */
import type { Logger } from '../log.js';
import type { CallOptions } from './backend.js';
import { QuotaExceededError, QuotaExhaustedError, TooManyRequestsError, VtError } from './errors.js';
import { abortableSleep, backoffMs, type RetryOptions } from './retry.js';

/** What a gate offers the retry loop. */
export interface SlotSource<S> {
  /** Waits for a slot (counted against every budget). */
  acquire(options: CallOptions): Promise<S>;
  /** The answer is in: the slot counts from now. */
  settle(slot: S): void;
  /** A request succeeded: 429 QuotaExceeded strikes start over. */
  succeeded(): void;
  /** 429 TooManyRequests: every request waits `ms` (bounded by the gate). */
  pause(ms: number): void;
  /** 429 QuotaExceeded: the error to throw when the budget is taken as spent, or null when the gate paused. */
  quotaExceeded(error: QuotaExceededError): QuotaExhaustedError | null;
  /** When the current pause ends (ms since the epoch). */
  pausedUntil(): number;
  /** A 429 (either kind) came back: counted for `vtguard_rate_limited_total`. */
  rateLimited?(): void;
}

/** Runs `send` under a slot, retrying retryable VirusTotal failures up to `retry.attempts` in all. */
export async function runGated<S, T>(
  source: SlotSource<S>,
  send: (signal: AbortSignal) => Promise<T>,
  options: CallOptions,
  retry: RetryOptions,
  log: Logger | undefined,
): Promise<T> {
  const signal = options.signal ?? new AbortController().signal;
  for (let attempt = 1; ; attempt++) {
    const slot = await source.acquire(options);
    try {
      const result = await send(signal);
      source.settle(slot);
      source.succeeded();
      return result;
    } catch (error) {
      source.settle(slot);
      if (!(error instanceof VtError) || !error.retryable) throw error;
      const rateLimited = error instanceof TooManyRequestsError || error instanceof QuotaExceededError;
      if (rateLimited) source.rateLimited?.();
      if (error instanceof QuotaExceededError) {
        const spent = source.quotaExceeded(error);
        if (spent) throw spent;
        // Out of tries while paused: the caller hears "used up until the pause ends", not a raw 429.
        if (attempt >= retry.attempts) throw new QuotaExhaustedError('minute', new Date(source.pausedUntil()));
      } else if (error instanceof TooManyRequestsError) source.pause(error.retryAfterMs ?? Number.POSITIVE_INFINITY);
      if (attempt >= retry.attempts) throw error;
      log?.debug({ module: 'quota', attempt, code: error.code, status: error.status }, 'retrying VirusTotal request');
      // After a 429 the pause is the wait; other faults back off before taking a new slot.
      if (!rateLimited) await abortableSleep(backoffMs(retry, attempt, error.retryAfterMs), signal);
    }
  }
}
