/**
 * Scheme URLs in text: find "http(s)://" anchors and grow each candidate in plain code, then trim
 * markdown and prose punctuation. `./accept.ts` decides what the candidate yields.
 */
import { BRACKET, classes, isAsciiAlnum, SPECIAL, URL_STOP } from './chars.js';

const GROW_FLAGS = URL_STOP | BRACKET | SPECIAL;

const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", '*', '~', '|'].map((c) => c.charCodeAt(0)));

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

/**
 * Grows from `start` to the first terminator, then trims trailing punctuation; returns the end of
 * the candidate [start, end) (a number, not a span object: one allocation less per URL). With
 * `stopAtParen` (a masked-link target) it also stops at the ')' that closes the link.
 */
export function growUrl(text: string, start: number, body: number, stopAtParen: boolean, trim = true): number {
  const table = classes();
  // One reusable counter object: extraction is synchronous and never re-enters growUrl.
  const counts = COUNTS;
  counts.paren = counts.closeParen = counts.square = counts.closeSquare = counts.curly = counts.closeCurly = 0;
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

const COUNTS: BracketCounts = { paren: 0, closeParen: 0, square: 0, closeSquare: 0, curly: 0, closeCurly: 0 };

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
