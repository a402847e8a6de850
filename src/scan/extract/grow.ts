/**
 * Stage 3 of the pipeline (./pipeline.ts): grow a URL candidate from its "http(s)://" anchor to
 * where it ends, then trim markdown and prose punctuation. Plain lower-case links, most of chat,
 * are measured by one regex pass instead (plainHostEnd + plainEnd). ./validate.ts decides what
 * the candidate yields.
 */
import { BRACKET, classAt, classes, isAsciiAlnum, SPECIAL, URL_STOP } from './chars.js';
import { restEnd } from './plain-url.js';

const GROW_FLAGS = URL_STOP | BRACKET | SPECIAL;

const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", '*', '~', '|'].map((c) => c.charCodeAt(0)));

/**
 * Grows from `start` to the first terminator, then trims trailing punctuation; returns the end of
 * the candidate [start, end) (a number, not a span object: one allocation less per URL). With
 * `stopAtParen` (a masked-link target) it also stops at the ')' that closes the link.
 */
export function growUrl(text: string, start: number, body: number, stopAtParen: boolean, trim = true): number {
  const table = classes();
  const counts: BracketCounts = { paren: 0, closeParen: 0, square: 0, closeSquare: 0, curly: 0, closeCurly: 0 };
  let i = body;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const f = (table[c] ?? 0) & GROW_FLAGS;
    if (f === 0) continue; // the common case: a character that is none of the special ones
    if (f & URL_STOP) break;
    if (c >= 0xd800 && c <= 0xdbff) {
      if (isAstralStop(text, i)) break;
    } else if (f & BRACKET) {
      if (c === 0x29 && stopAtParen && counts.closeParen >= counts.paren) break;
      countBracket(counts, c, 1);
    } else if (c === 0x7c && text.charCodeAt(i + 1) === 0x7c) {
      break;
    }
  }
  return trim ? trimEnd(text, start, i, counts) : i;
}

interface BracketCounts {
  paren: number;
  closeParen: number;
  square: number;
  closeSquare: number;
  curly: number;
  closeCurly: number;
}

/** Adds `delta` to the count for bracket `c`; false when `c` is not a bracket. */
function countBracket(k: BracketCounts, c: number, delta: number): boolean {
  switch (c) {
    case 0x28: k.paren += delta; return true;
    case 0x29: k.closeParen += delta; return true;
    case 0x5b: k.square += delta; return true;
    case 0x5d: k.closeSquare += delta; return true;
    case 0x7b: k.curly += delta; return true;
    case 0x7d: k.closeCurly += delta; return true;
    default: return false;
  }
}

const EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;

function isAstralStop(text: string, i: number): boolean {
  const cp = text.codePointAt(i) ?? 0;
  return cp > 0xffff && EMOJI.test(String.fromCodePoint(cp));
}

/** An unbalanced closing bracket, or any opening one, at the end of a URL is punctuation. */
function isDanglingBracket(c: number, k: BracketCounts): boolean {
  switch (c) {
    case 0x28:
    case 0x5b:
    case 0x7b:
      return true;
    case 0x29: return k.closeParen > k.paren;
    case 0x5d: return k.closeSquare > k.square;
    case 0x7d: return k.closeCurly > k.curly;
    default: return false;
  }
}

function trimEnd(text: string, start: number, end: number, counts: BracketCounts): number {
  const italic = start > 0 && text.charCodeAt(start - 1) === 0x5f;
  let e = end;
  while (e > start) {
    const c = text.charCodeAt(e - 1);
    if (TRAILING.has(c) || (c === 0x5f && italic)) e--;
    else if (isDanglingBracket(c, counts)) {
      countBracket(counts, c, -1);
      e--;
    } else break;
  }
  return e;
}

// Lower-case scheme and 2+ labels, for links in free text (no case mapping needed). The
// "xn--" and last-label rules are checked in plainHostEnd instead: per label they cost more in
// the regex than one includes('xn--') and one character test on the host afterwards.
const LOWER_HEAD = /https?:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+/y;

/**
 * Where the host of a plain, lower-case URL starting at `start` ends (its last label starts with a
 * letter and no label is punycode), or -1. The rest of the URL is measured by `plainEnd`.
 */
export function plainHostEnd(text: string, start: number): number {
  LOWER_HEAD.lastIndex = start;
  if (!LOWER_HEAD.test(text)) return -1;
  const hostEnd = LOWER_HEAD.lastIndex;
  const tld = text.charCodeAt(text.lastIndexOf('.', hostEnd - 1) + 1);
  if (tld < 0x61 || tld > 0x7a || text.slice(start, hostEnd).includes('xn--')) return -1;
  return hostEnd;
}

/**
 * End of the plain URL whose host ends at `hostEnd`, or -1. It must end where growUrl would stop
 * (the end, a URL_STOP character such as whitespace, '<' or an emoji, or '||') on a character
 * trimEnd keeps, so one regex pass replaces growing, trimming and checking the candidate for the
 * links most messages carry. The caller still rules out dot segments.
 */
export function plainEnd(text: string, hostEnd: number): number {
  const end = restEnd(text, hostEnd);
  const spoiler = text.charCodeAt(end) === 0x7c && text.charCodeAt(end + 1) === 0x7c;
  if (end < text.length && !spoiler && (classAt(text, end) & URL_STOP) === 0) return -1;
  return keptAtEnd(text, hostEnd, end) ? end : -1;
}

/**
 * True when trimEnd would keep the last character of [.., end): letters, digits and / - = & + $
 * @ #, or a ')' closing a '(' of the path (Wikipedia links). '_' may be markdown, so it is not.
 */
function keptAtEnd(text: string, from: number, end: number): boolean {
  const last = text.charCodeAt(end - 1);
  if (isAsciiAlnum(last) || last === 0x2f || last === 0x2d || last === 0x3d || last === 0x26 || last === 0x2b || last === 0x24 || last === 0x40 || last === 0x23) return true;
  if (last !== 0x29) return false;
  let depth = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28) depth++;
    else if (c === 0x29) depth--;
  }
  return depth >= 0;
}
