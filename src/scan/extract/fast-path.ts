/**
 * Stage 0, the fast path. Most chat messages hold nothing to extract; this decides that with
 * native indexOf/regex scans and a few character checks, so they cost next to nothing
 * (`mayHaveIndicator` in ../extract.ts is these two tests).
 */

/**
 * Everything that can start an indicator other than a bare hash, as one regex of one-character
 * matches, each confirmed by lookaround:
 * - '.' followed by something other than whitespace, '.', a digit or the end: names (every TLD
 *   starts with a letter), '[.]', '(.)'. A sentence end, "1.5" or "v1.2.3" is not an anchor;
 * - '.' between digits that go on as a dotted quad (IPv4), or after a backslash ('\.');
 * - ':' before '/' or ']': "://", "[:]//", "[://]";
 * - hex ':' hex{0,4} ':', which every IPv6 address has (emoji ":name:" and times rarely do);
 * - '[', '(' or '{' before "do" (optionally after one space): the "[dot]" markers;
 * - an invisible character that must be deleted before scanning.
 * Why this shape: the top-level alternatives start with '.', ':', '[({' or an invisible, so
 * irregexp still scans ahead natively for their first characters, and a hit on '.' or ':' tries
 * only that character's checks (about 10% faster on the chat corpus than one leading class with
 * every check behind a lookbehind). A flat alternation with lookbehinds first is ~6x slower.
 */
export const ANCHOR =
  /\.(?:(?=[^\s.\d])|(?<=\d\.)(?=\d{1,3}\.\d{1,3}\.\d)|(?<=\\\.))|:(?:(?=[/\]])|(?<=[0-9a-fA-F]:)(?=[0-9a-fA-F]{0,4}:))|[[({](?= ?[dD][oO])|[\u200B\u2060\uFEFF\u00AD]/;

// The same regex with the g flag: after a successful test(), lastIndex - 1 is where the (one
// character long) anchor is, which the pipeline uses to skip re-scanning the text before it.
// (Pre-scanning with the bare leading class and checking hits in code was tried: no faster.)
const ANCHOR_SCAN = new RegExp(ANCHOR.source, 'g');

/** Index of the first anchor in `text` (where ANCHOR first matches), or -1. */
export function firstAnchor(text: string): number {
  ANCHOR_SCAN.lastIndex = 0;
  return ANCHOR_SCAN.test(text) ? ANCHOR_SCAN.lastIndex - 1 : -1;
}

/** ASCII hex digit (shared with the hash scanner in ./find.ts). */
export function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/** Where the hex run holding position `p` starts (hex at `p` assumed). Small enough to be inlined. */
export function hexRunStart(text: string, p: number): number {
  let s = p;
  while (s > 0 && isHex(text.charCodeAt(s - 1))) s--;
  return s;
}

/** Where the hex run holding position `p` ends (exclusive). */
export function hexRunEnd(text: string, p: number): number {
  let e = p + 1;
  while (e < text.length && isHex(text.charCodeAt(e))) e++;
  return e;
}

/**
 * A 32-digit hex run covers one of every 32 consecutive positions, so probing every 32nd character
 * and measuring the run only where a probe lands on hex finds every run of 32+ in about n/32 steps.
 */
export function hasHexRun(text: string): boolean {
  for (let p = 31; p < text.length; p += 32) {
    if (isHex(text.charCodeAt(p)) && hexRunEnd(text, p) - hexRunStart(text, p) >= 32) return true;
  }
  return false;
}
