/** Looking at, and blanking out, the parts of a message outside the URLs already taken. */
import { ANCHOR, hasHexRun } from './anchor.js';
import type { Ranges } from './code.js';

/**
 * The fast-path test on each piece of `text` outside `ranges`. Without hex runs (`hex` false), a
 * piece inside the anchor-free prefix is skipped: an anchor found in a prefix slice is
 * an anchor of the whole text too (ANCHOR only looks at neighbours, never at the text's end).
 */
export function outsideMayHave(text: string, ranges: Ranges, hex: boolean, anchorFree: number): boolean {
  let from = 0;
  for (let k = 0; k <= ranges.length; k += 2) {
    const to = ranges[k] ?? text.length;
    if (to > from && (hex || to > anchorFree)) {
      const piece = text.slice(from, to);
      if (hasHexRun(piece) || ANCHOR.test(piece)) return true;
    }
    from = ranges[k + 1] ?? text.length;
  }
  return false;
}

const SPACES = ' '.repeat(256);

/** `text` with the given ranges replaced by spaces, so positions stay aligned. */
export function blank(text: string, ranges: Ranges): string {
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let from = 0;
  for (let k = 0; k < ranges.length; k += 2) {
    const s = ranges[k] ?? 0;
    const e = ranges[k + 1] ?? s;
    parts.push(text.slice(from, s), e - s <= SPACES.length ? SPACES.slice(0, e - s) : ' '.repeat(e - s));
    from = e;
  }
  parts.push(text.slice(from));
  return parts.join('');
}
