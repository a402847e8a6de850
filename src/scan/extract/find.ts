/**
 * Stage 2 of the pipeline (./pipeline.ts): find candidates. Everything here only says WHERE
 * something might be (code spans, masked links, scheme anchors, word runs with a dot, IP-shaped
 * and hex runs); ./grow.ts measures URL candidates and ./validate.ts decides what they yield.
 */
import { ANCHOR, hasHexRun, hexRunEnd, hexRunStart, isHex } from './fast-path.js';
import { classes, isAsciiAlnum, WORD } from './chars.js';
import { growUrl } from './grow.js';

/** Sorted, non-overlapping [start, end) ranges, flattened as start0, end0, start1, end1, ... */
export type Ranges = readonly number[];

/** Shared empty result: most messages have no code, and an allocation per message adds up. */
export const NO_RANGES: Ranges = Object.freeze([]);

// ---- Code spans: inside them bare domains are not candidates (dotted identifiers and file
// names), while scheme URLs, IPs, hashes and defanged names still are.

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

// ---- Masked links `[text](url)`, `[text](<url>)` and `[text](url "title")`, found before plain
// URLs: the target is the URL, and the visible text is scanned like any other text.

/** One masked link: where its text is, where its target URL is, and the markup to blank out. */
export interface MaskedLink {
  textStart: number;
  textEnd: number;
  target: string;
  /** The `](...)` part, which is not text a member reads. */
  markupStart: number;
  markupEnd: number;
}

/** Masked links outside code, left to right. A forward scan remembering the last '[' is linear. */
export function findMasked(text: string, code: Ranges): MaskedLink[] {
  const links: MaskedLink[] = [];
  let open = -1;
  for (let i = text.indexOf('['); i >= 0 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b) open = i;
    else if (c === 0x0a) open = -1;
    else if (c === 0x5d && open >= 0 && text.charCodeAt(i + 1) === 0x28 && !inRanges(code, i)) {
      const link = parseTarget(text, open, i);
      open = -1;
      // A failed target resumes after what it grew over, so repeated "[a](http://..." stays linear.
      if (typeof link === 'number') i = Math.max(i, link - 1);
      else {
        links.push(link);
        i = link.markupEnd - 1;
      }
    }
  }
  return links;
}

/** The link, or the position to resume scanning from when there is none. */
function parseTarget(text: string, open: number, close: number): MaskedLink | number {
  const angled = text.charCodeAt(close + 2) === 0x3c;
  const start = close + 2 + (angled ? 1 : 0);
  if (!/^https?:\/\//i.test(text.slice(start, start + 8))) return start;
  const body = text.indexOf('://', start) + 3;
  let end: number;
  let after: number;
  if (angled) {
    end = growUrl(text, start, body, false, false);
    if (text.charCodeAt(end) !== 0x3e) return end;
    after = end + 1;
  } else {
    end = growUrl(text, start, body, true);
    after = end;
    while (after < text.length && text.charCodeAt(after) !== 0x29 && !/[\s"]/.test(text.charAt(after)) && after - end < 8) after++;
  }
  after = skipTitle(text, after);
  if (text.charCodeAt(after) !== 0x29) return after;
  return { textStart: open + 1, textEnd: close, target: text.slice(start, end), markupStart: close, markupEnd: after + 1 };
}

/** Skips optional whitespace and a "title" before the closing ')'. */
function skipTitle(text: string, from: number): number {
  let i = from;
  while (text.charCodeAt(i) === 0x20) i++;
  if (text.charCodeAt(i) !== 0x22) return i;
  const endQuote = text.indexOf('"', i + 1);
  if (endQuote < 0) return i;
  i = endQuote + 1;
  while (text.charCodeAt(i) === 0x20) i++;
  return i;
}

// ---- Scheme URLs: "http(s)://" anchors.

/** Start of the scheme before the "://" at `sep`, or -1 when it is not a URL start. */
export function schemeStart(text: string, sep: number): number {
  let start = -1;
  if (sep >= 5 && (text.charCodeAt(sep - 1) | 0x20) === 0x73 && isHttp(text, sep - 5)) start = sep - 5;
  else if (sep >= 4 && isHttp(text, sep - 4)) start = sep - 4;
  if (start < 0 || (start > 0 && isAsciiAlnum(text.charCodeAt(start - 1)))) return -1;
  return start;
}

function isHttp(text: string, i: number): boolean {
  return (
    (text.charCodeAt(i) | 0x20) === 0x68 &&
    (text.charCodeAt(i + 1) | 0x20) === 0x74 &&
    (text.charCodeAt(i + 2) | 0x20) === 0x74 &&
    (text.charCodeAt(i + 3) | 0x20) === 0x70
  );
}

// ---- Bare domains: maximal runs of letters, digits, marks, '-' and '.' holding a dot.

function isRunChar(table: Uint8Array, c: number): boolean {
  return c === 0x2e || c === 0x2d || ((table[c] ?? 0) & WORD) !== 0;
}

/**
 * Calls `visit(start, end)` for each maximal run that contains a '.', left to right, each
 * character visited at most twice (once growing left, once growing right).
 */
export function forEachRun(text: string, visit: (start: number, end: number) => void): void {
  const table = classes();
  let floor = 0;
  let dot = text.indexOf('.');
  while (dot >= 0) {
    let s = dot;
    while (s > floor && isRunChar(table, text.charCodeAt(s - 1))) s--;
    // Astral letters (surrogate pairs) are not in the table, so they end a run: rare in host names.
    let e = dot + 1;
    while (e < text.length && isRunChar(table, text.charCodeAt(e))) e++;
    visit(s, e);
    floor = e;
    dot = text.indexOf('.', e);
  }
}

// ---- IP addresses written in free text (URL hosts are handled by the URL parser).

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// Bounded alternatives only, so the regex is linear. Not before a letter/digit, '.'+digit
// (versions like 1.2.3.4.5) or '/'+digit (CIDR ranges). "Not after a letter, digit or '.'" is
// checked in code: a leading lookbehind stops V8 from skipping quickly to the next digit, and no
// valid address can start inside a rejected match (every position there follows a digit or '.').
const IPV4 = new RegExp(`${OCTET}(?:\\.${OCTET}){3}(?![0-9A-Za-z]|\\.\\d|/\\d)`, 'g');

/** Dotted-quad IPv4 candidates in `text` that no letter, digit or '.' precedes. */
export function forEachIPv4(text: string, visit: (ip: string, pos: number) => void): void {
  if (text.indexOf('.') < 0) return;
  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) {
    const before = m.index > 0 ? text.charCodeAt(m.index - 1) : 0x20;
    if (before !== 0x2e && !isAsciiAlnum(before)) visit(m[0], m.index);
  }
}

function isV6Char(c: number): boolean {
  return c === 0x3a || (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/**
 * IPv6-shaped candidates in `text`: maximal runs of hex digits and ':' (plus a dotted IPv4 tail)
 * around each ':', with no ASCII letter or digit on either side.
 */
export function forEachIPv6(text: string, visit: (candidate: string) => void): void {
  let floor = 0;
  let colon = text.indexOf(':');
  while (colon >= 0) {
    let s = colon;
    while (s > floor && isV6Char(text.charCodeAt(s - 1))) s--;
    let e = colon + 1;
    while (e < text.length && (isV6Char(text.charCodeAt(e)) || text.charCodeAt(e) === 0x2e)) e++;
    floor = e;
    colon = text.indexOf(':', e);
    const candidate = trimV6(text.slice(s, e));
    if (candidate.length < 3 || candidate.length > 45) continue;
    if ((s > 0 && isAsciiAlnum(text.charCodeAt(s - 1))) || isAsciiAlnum(text.charCodeAt(e))) continue;
    if (!/^[0-9a-f:]+(?:\d+\.\d+\.\d+\.\d+)?$/i.test(candidate) || !/::|(?::[^:]*){7}/.test(candidate)) continue;
    visit(candidate);
  }
}

/** Drops sentence punctuation a run may have swallowed: trailing '.'s and one trailing ':'. */
function trimV6(run: string): string {
  let r = run.replace(/\.+$/, '');
  if (r.endsWith(':') && !r.endsWith('::')) r = r.slice(0, -1);
  return r;
}

// ---- Hashes: MD5, SHA-1 and SHA-256 hex digests.

/**
 * Calls `visit(start, end)` for each maximal hex run of exactly 32, 40 or 64 digits with no ASCII
 * letter or digit on either side. Runs are maximal: a run of another length is never cut.
 *
 * Why not a /[0-9a-f]{32,}/gi scan: every a-f letter and digit of ordinary words starts a failed
 * attempt there. A 32+ run covers one of every 32 consecutive positions, so probing every 32nd
 * character and measuring the run only where a probe lands on hex finds every candidate; the next
 * probe goes 32 past the run's end, so no character is measured twice (linear).
 */
export function forEachHashRun(text: string, visit: (start: number, end: number) => void): void {
  for (let p = 31; p < text.length; p += 32) {
    if (!isHex(text.charCodeAt(p))) continue;
    const s = hexRunStart(text, p);
    const e = hexRunEnd(text, p);
    const len = e - s;
    if ((len === 32 || len === 40 || len === 64) && (s === 0 || !isAsciiAlnum(text.charCodeAt(s - 1))) && !isAsciiAlnum(text.charCodeAt(e))) visit(s, e);
    p = e;
  }
}

// ---- What is left once URLs are taken: looked at, and blanked out.

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
