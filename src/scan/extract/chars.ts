/**
 * Character classes shared by the scanners, as one lazily built table over the Basic Multilingual
 * Plane. Per-character regex tests would dominate the cost of adversarial unicode input; a table
 * lookup is one load. Astral code points (emoji, rare scripts) fall back to a regex.
 */

/** Unicode White_Space (URL terminator). */
export const WS = 1;
/** Ends a URL candidate: whitespace, < > " `, emoji, CJK/fullwidth punctuation, curly quotes. */
export const URL_STOP = 2;
/** Letter, number or combining mark: the body of a bare-domain run (with '-' and '.'). */
export const WORD = 4;
/** ASCII letter or digit: the neighbours that disqualify IPs, hashes and URL starts. */
export const ALNUM = 8;
/** ( ) [ ] { }: counted while growing a URL (balanced pairs stay, dangling ones are trimmed). */
export const BRACKET = 16;
/** '|' (a spoiler marker '||' ends a URL) and the high surrogates of astral code points. */
export const SPECIAL = 32;

const WORD_RE = /[\p{L}\p{N}\p{M}]/u;
const EMOJI_RE = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
const WS_RE = /[\s\u0085]/u;
// The punctuation that ends a URL even without surrounding space (docs/extraction.md, "URLs").
const STOP_CHARS = '<>"`、。「」『』【】（），！？“”‘’«»';

function buildTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    let f = 0;
    if (c >= 0x80 || (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) {
      if (WORD_RE.test(ch)) f |= WORD;
      if (c >= 0x80 && EMOJI_RE.test(ch)) f |= URL_STOP;
    }
    if (c < 0x80 && f & WORD) f |= ALNUM;
    if (WS_RE.test(ch)) f |= WS | URL_STOP;
    t[c] = f;
  }
  for (const ch of STOP_CHARS) t[ch.charCodeAt(0)] = (t[ch.charCodeAt(0)] ?? 0) | URL_STOP;
  for (const ch of '()[]{}') t[ch.charCodeAt(0)] = (t[ch.charCodeAt(0)] ?? 0) | BRACKET;
  t[0x7c] = (t[0x7c] ?? 0) | SPECIAL;
  for (let c = 0xd800; c <= 0xdbff; c++) t[c] = SPECIAL;
  return t;
}

// Built once at import (a few milliseconds) and never written after.
const TABLE = buildTable();

/** The class table. */
export function classes(): Uint8Array {
  return TABLE;
}

/** Class flags of the code point starting at `i` (astral code points tested by regex). */
export function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return classes()[c] ?? 0;
  const cp = String.fromCodePoint(text.codePointAt(i) ?? c);
  let f = 0;
  if (WORD_RE.test(cp)) f |= WORD;
  if (EMOJI_RE.test(cp)) f |= URL_STOP;
  return f;
}

/** True for ASCII letters and digits. */
export function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}
