/** MD5, SHA-1 and SHA-256 hex digests in free text. */
import { isAsciiAlnum } from './chars.js';

// Any run of 32+ hex digits; the run is maximal, so only its length and neighbours remain to check.
const HEX_RUN = /[0-9a-f]{32,}/gi;

/** Hex runs of exactly 32, 40 or 64 digits, ASCII-alnum-delimited, with a digit and a letter. */
export function textHashes(text: string, add: (hash: string) => void): void {
  for (const m of text.matchAll(HEX_RUN)) {
    const run = m[0];
    const start = m.index;
    const end = start + run.length;
    if (run.length !== 32 && run.length !== 40 && run.length !== 64) continue;
    if ((start > 0 && isAsciiAlnum(text.charCodeAt(start - 1))) || isAsciiAlnum(text.charCodeAt(end))) continue;
    if (!/\d/.test(run) || !/[a-f]/i.test(run)) continue;
    add(run.toLowerCase());
  }
}
