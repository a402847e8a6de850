/**
 * Node keeps timer delays in a signed 32-bit field: a delay above 2^31-1 ms (about 24.8 days) is
 * replaced by 1 ms with only a warning, so a far-off wake-up turns into a timer that fires every
 * millisecond. Every delay handed to setTimeout goes through {@link timerDelay}; callers that wait
 * longer simply find the time not yet reached when the timer fires and set it again.
 */

/** The longest delay setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` clamped to what setTimeout honours: 0 for negative or NaN, at most {@link MAX_TIMER_MS}. */
export function timerDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

/** An abort signal that fires after `ms` or with `outer`, whichever comes first. */
export interface Deadline {
  signal: AbortSignal;
  /** True when the time ran out (not when `outer` aborted). */
  readonly expired: boolean;
  /** Clears the timer and the listener on `outer`; call once the work is over. */
  dispose(): void;
}

/**
 * An overall deadline for one piece of work, so an answer that trickles a byte a second cannot
 * hold its caller for ever. Listens on `outer` instead of `AbortSignal.any`, and removes the
 * listener on dispose, so a long-lived outer signal does not collect one entry per request.
 */
export function deadline(ms: number, outer?: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`deadline of ${ms} ms passed`));
  }, timerDelay(ms));
  const forward = (): void => controller.abort(outer?.reason);
  if (outer?.aborted === true) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    get expired() { return expired; },
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    },
  };
}
