/**
 * What happens to the indicators VirusTotal could not answer ('error': it or the network failed
 * after the gate's own retries; 'quota': the key's budget is spent): they are stored as a follow-up
 * job of the same message and scanned again later, a bounded number of times, instead of being
 * dropped. The timing is pure and lives here; message-scan.ts stores it and the AutoScan object schedules it.
 */
import type { ScanOutcome } from '../scan/outcome.js';
import { newNonce, toStored, type AutoScanJob, type StoredAttachment } from './jobs.js';

/** Scans of one message's indicators in all, the first one included. */
export const MAX_ATTEMPTS = 5;
/** Waits before follow-up 1, 2, 3, 4, in units of the retry base (default one minute). */
const BACKOFF_STEPS = [1, 5, 15, 60] as const;
/** A budget reset is not instantaneous everywhere: wait a little past it. */
const AFTER_RESET_MS = 5_000;

export const DEFAULT_RETRY_BASE_MS = 60_000;

export function needsRetry(outcome: ScanOutcome): boolean {
  return outcome.status === 'error' || outcome.status === 'quota';
}

/**
 * Milliseconds until follow-up number `attempt` (1-based) of `failed` may run: the backoff step
 * for errors, the latest budget reset (plus a little) for quota; the longer of the two.
 */
export function retryDelayMs(failed: readonly ScanOutcome[], attempt: number, baseMs: number, now: number): number {
  let delay = 0;
  for (const o of failed) {
    if (o.status === 'error') delay = Math.max(delay, backoffMs(attempt, baseMs));
    if (o.status === 'quota') delay = Math.max(delay, Date.parse(o.resetAt) - now + AFTER_RESET_MS);
  }
  return Math.max(0, delay);
}

/** The backoff step before follow-up number `attempt` (1-based). */
function backoffMs(attempt: number, baseMs: number): number {
  return (BACKOFF_STEPS[Math.min(attempt, BACKOFF_STEPS.length) - 1] ?? 1) * baseMs;
}

/**
 * The follow-up of `job` for its `failed` indicators and the attachments it could not download
 * (`unfetched`), or `undefined` once the attempts are spent.
 */
export function followUpOf(job: AutoScanJob, failed: readonly ScanOutcome[], baseMs: number, now: number, unfetched: readonly StoredAttachment[] = []): AutoScanJob | undefined {
  const attempt = (job.attempt ?? 0) + 1;
  if (attempt >= MAX_ATTEMPTS) return undefined;
  const { attachments: _downloaded, startedAt: _ran, ...rest } = job;
  return {
    ...rest,
    indicators: failed.map((o) => toStored(o.indicator)),
    ...(unfetched.length > 0 ? { attachments: [...unfetched] } : {}),
    attempt,
    // A download that failed is retried like a look-up that failed.
    notBefore: now + Math.max(retryDelayMs(failed, attempt, baseMs, now), unfetched.length > 0 ? backoffMs(attempt, baseMs) : 0),
    nonce: newNonce(),
  };
}
