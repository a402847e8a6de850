/**
 * Discord code spans and blocks. Inside them bare domains are not candidates (dotted identifiers
 * and file names), while scheme URLs, IPs, hashes and defanged names still are.
 */

/** Sorted, non-overlapping [start, end) ranges, flattened as start0, end0, start1, end1, ... */
export type Ranges = readonly number[];

/** Shared empty result: most messages have no code, and an allocation per message adds up. */
export const NO_RANGES: Ranges = Object.freeze([]);

/**
 * Finds `...`, ``...`` and ```...``` regions the way Discord pairs them: an opening run of N
 * backticks closes at the next run of exactly N. An opener without a closer is literal text.
 */
export function findCode(text: string): Ranges {
  let i = text.indexOf('`');
  if (i < 0) return NO_RANGES;
  const ranges: number[] = [];
  // Once a run length has no closer after some point it has none after any later point either;
  // remembering that keeps unmatched backticks linear instead of quadratic.
  const noCloserAfter = new Map<number, number>();
  while (i >= 0 && i < text.length) {
    const runEnd = skipTicks(text, i);
    const len = runEnd - i;
    const close = (noCloserAfter.get(len) ?? Infinity) <= i ? -1 : findRun(text, runEnd, len);
    if (close < 0) {
      noCloserAfter.set(len, i);
      i = text.indexOf('`', runEnd);
      continue;
    }
    ranges.push(i, close + len);
    i = text.indexOf('`', close + len);
  }
  return ranges;
}

function skipTicks(text: string, i: number): number {
  let j = i;
  while (text.charCodeAt(j) === 0x60) j++;
  return j;
}

/** Start of the next run of exactly `len` backticks at or after `from`, or -1. */
function findRun(text: string, from: number, len: number): number {
  let i = text.indexOf('`', from);
  while (i >= 0) {
    const end = skipTicks(text, i);
    if (end - i === len) return i;
    i = text.indexOf('`', end);
  }
  return -1;
}

/** True when `pos` lies inside one of the ranges. */
export function inRanges(ranges: Ranges, pos: number): boolean {
  // Binary search over starts: many spans times many candidates must not go quadratic.
  let lo = 0;
  let hi = ranges.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[2 * mid] ?? 0) <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && pos < (ranges[2 * lo - 1] ?? 0);
}
