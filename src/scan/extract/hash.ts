/** MD5, SHA-1 and SHA-256 hex digests in free text. */
import { hexRunEnd, hexRunStart, isHex } from './anchor.js';
import { isAsciiAlnum } from './chars.js';

/**
 * Hex runs of exactly 32, 40 or 64 digits, ASCII-alnum-delimited, with a digit and a letter.
 * Runs are maximal: a run of another length is never cut into a hash.
 *
 * Why not a /[0-9a-f]{32,}/gi scan: every a-f letter and digit of ordinary words starts a failed
 * attempt there. A 32+ run covers one of every 32 consecutive positions, so probing every 32nd
 * character and measuring the run only where a probe lands on hex finds every candidate; the next
 * probe goes 32 past the run's end, so no character is measured twice (linear).
 */
export function textHashes(text: string, add: (hash: string) => void): void {
  for (let p = 31; p < text.length; p += 32) {
    if (!isHex(text.charCodeAt(p))) continue;
    const s = hexRunStart(text, p);
    const e = hexRunEnd(text, p);
    const len = e - s;
    if ((len === 32 || len === 40 || len === 64) && (s === 0 || !isAsciiAlnum(text.charCodeAt(s - 1))) && !isAsciiAlnum(text.charCodeAt(e))) {
      const run = text.slice(s, e);
      if (/\d/.test(run) && /[a-f]/i.test(run)) add(run.toLowerCase());
    }
    p = e;
  }
}
