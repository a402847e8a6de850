/**
 * Retry timing for the quota gate: jittered exponential backoff that honours Retry-After, and an
 * abortable sleep so a cancelled request stops waiting at once.
 */
import { timerDelay } from '../core/timers.js';

export interface RetryOptions {
  /** Attempts in all (the first one included); default 4. */
  attempts: number;
  /** First backoff; doubles each attempt; default 1000 ms. */
  baseMs: number;
  /** Longest backoff; default 30 000 ms. */
  maxMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({ attempts: 4, baseMs: 1000, maxMs: 30_000 });

/** The gate was closed (shutdown) before the request got a slot. */
export class GateClosedError extends Error {
  constructor() {
    super('The VirusTotal quota gate is closed (shutting down)');
    this.name = 'GateClosedError';
  }
}

/**
 * Milliseconds to wait before attempt `attempt + 1`: Retry-After when the server sent one,
 * otherwise "equal jitter" (half fixed, half random) so many failed requests don't retry in step.
 */
export function backoffMs(retry: RetryOptions, attempt: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, retry.maxMs * 10);
  const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * Resolves after `ms` (at most 2^31-1 ms, see src/core/timers.ts: callers needing longer loop), or rejects with the
 * signal's reason when it aborts first.
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, timerDelay(ms));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
