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
