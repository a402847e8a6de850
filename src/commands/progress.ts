/**
 * Throttled in-place progress: at most one edit per `minGapMs` (Discord rate-limits webhook edits,
 * and a reader cannot follow faster anyway); the latest state wins, and the final edit always goes
 * out, after any edit already in flight, so the result is never overwritten by stale progress.
 */
import { timerDelay } from '../core/timers.js';

export interface ProgressEditor<P> {
  /** Shows `payload` soon (now, or when the gap has passed; newer payloads replace older pending ones). */
  push(payload: P): void;
  /** Cancels pending progress and shows `payload` once every earlier edit has settled. */
  final(payload: P): Promise<void>;
  /** Cancels pending progress and waits for edits in flight (before an error is shown instead). */
  stop(): Promise<void>;
}

export function progressEditor<P>(
  edit: (payload: P) => Promise<unknown>,
  options: { minGapMs?: number; clock?: () => number; onError?: (err: unknown) => void } = {},
): ProgressEditor<P> {
  const gap = options.minGapMs ?? 1500;
  const clock = options.clock ?? Date.now;
  let last = Number.NEGATIVE_INFINITY;
  let pending: P | undefined;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let done = false;

  const flush = (): void => {
    timer = undefined;
    const payload = pending;
    pending = undefined;
    if (payload === undefined || done) return;
    last = clock();
    // A failed progress edit is not worth failing the command for; the final edit reports.
    chain = chain.then(() => edit(payload)).catch((err: unknown) => options.onError?.(err));
  };

  return {
    push(payload) {
      if (done) return;
      pending = payload;
      if (timer !== undefined) return;
      const wait = last + gap - clock();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, timerDelay(wait));
    },
    async final(payload) {
      await this.stop();
      await edit(payload);
    },
    async stop() {
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      pending = undefined;
      await chain;
    },
  };
}
