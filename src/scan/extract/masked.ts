/**
 * Discord masked links `[text](url)`, `[text](<url>)` and `[text](url "title")`. They are found
 * before plain URLs: the target is the URL, and the visible text is scanned like any other text.
 */
import { inRanges } from './code.js';
import type { Ranges } from './code.js';
import { growUrl } from './url.js';

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
