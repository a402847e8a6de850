/**
 * The extraction pipeline over one message: clean, find code and masked links, take scheme URLs,
 * blank what they covered, then look for IPs, hashes and bare domains in what is left.
 */
import { ANCHOR, hasHexRun } from './anchor.js';
import { findCode, inRanges } from './code.js';
import type { Ranges } from './code.js';
import { bareDomain, forEachRun } from './domain.js';
import { textHashes } from './hash.js';
import { textIPv4, textIPv6 } from './ip.js';
import { findMasked } from './masked.js';
import type { MaskedLink } from './masked.js';
import { clean, hasMark } from './refang.js';
import { acceptUrl, nestedUrls, plausibleHost } from './accept.js';
import type { AcceptedUrl } from './accept.js';
import { growUrl, schemeStart } from './url.js';

/** Where results go. `named` sees every valid host with its position, first-party ones included. */
export interface Sink {
  url(href: string): void;
  domain(name: string): void;
  ip(ip: string): void;
  hash(hash: string): void;
  named(pos: number, host: string): void;
  masked(link: MaskedLink, target: AcceptedUrl | undefined, text: string): void;
}

/**
 * Runs the whole pipeline on raw message content. `rawHasHex` false (no 32+ hex run in `raw`)
 * skips the hash scan unless cleaning changed the text (deleted invisibles can join a run).
 */
export function scanMessage(raw: string, sink: Sink, rawHasHex = true): void {
  const { text, marks } = clean(raw);
  const code = findCode(text);
  const masked = text.includes('](') ? findMasked(text, code) : NO_LINKS;
  const markup: number[] = [];
  for (const link of masked) {
    const target = acceptUrl(link.target);
    if (target !== undefined) reportUrl(target, link.markupStart, sink);
    markup.push(link.markupStart, link.markupEnd);
    sink.masked(link, target, text);
  }
  const withoutMarkup = blank(text, markup);
  const covered = scanUrls(withoutMarkup, sink);
  // Most link messages are a few words around the link: when nothing outside the URLs could hold
  // an indicator, skip blanking and the four scans below.
  if (covered.length > 0 && markup.length === 0 && !outsideMayHave(withoutMarkup, covered)) return;
  const rest = blank(withoutMarkup, covered);
  textIPv4(rest, (ip, pos) => {
    sink.ip(ip);
    sink.named(pos, ip);
  });
  textIPv6(rest, (ip) => sink.ip(ip));
  if (rawHasHex || text !== raw) textHashes(rest, (hash) => sink.hash(hash));
  forEachRun(rest, (start, end) => {
    const found = bareDomain(rest, start, end, { refanged: hasMark(marks, start, end), inCode: inRanges(code, start) });
    if (found === undefined) return;
    if (found.kind === 'name') sink.domain(found.name);
    sink.named(start, found.name);
  });
}

function reportUrl(found: AcceptedUrl, pos: number, sink: Sink): void {
  if (found.domain !== undefined) sink.named(pos, found.domain);
  if (found.ip !== undefined) sink.named(pos, found.ip);
  if (found.kind === 'firstParty') return;
  sink.url(found.href);
  if (found.kind === 'name' && found.domain !== undefined) sink.domain(found.domain);
  if (found.ip !== undefined) sink.ip(found.ip);
  for (const inner of nestedUrls(found.url)) {
    sink.url(inner.href);
    if (inner.kind === 'name' && inner.domain !== undefined) sink.domain(inner.domain);
    if (inner.ip !== undefined) sink.ip(inner.ip);
  }
}

const NO_LINKS: readonly MaskedLink[] = Object.freeze([]);

// Failed candidates after which the cheap host pre-check runs before parsing: ordinary messages
// (and messages full of real links) go straight to the parser, where the pre-check would only
// repeat work; text stuffed with failing candidates gets the cheap reject.
const PARSE_DIRECTLY = 3;

/** Reports every scheme URL and returns the spans they covered (dropped ones included). */
function scanUrls(text: string, sink: Sink): Ranges {
  const covered: number[] = [];
  let failures = 0;
  let sep = text.indexOf('://');
  while (sep >= 0) {
    const start = schemeStart(text, sep);
    if (start < 0) {
      sep = text.indexOf('://', sep + 3);
      continue;
    }
    const span = growUrl(text, start, sep + 3, false);
    const candidate = text.slice(span.start, span.end);
    const body = sep + 3 - start;
    if (candidate.length > body && (failures < PARSE_DIRECTLY || plausibleHost(candidate, body))) {
      const found = acceptUrl(candidate);
      if (found !== undefined) reportUrl(found, start, sink);
      else failures++;
    }
    covered.push(span.start, span.end);
    sep = text.indexOf('://', Math.max(span.end, sep + 3));
  }
  return covered;
}

/** The fast-path test on each piece of `text` outside `ranges`. */
function outsideMayHave(text: string, ranges: Ranges): boolean {
  let from = 0;
  for (let k = 0; k <= ranges.length; k += 2) {
    const piece = text.slice(from, ranges[k] ?? text.length);
    if (hasHexRun(piece) || ANCHOR.test(piece)) return true;
    from = ranges[k + 1] ?? text.length;
  }
  return false;
}

const SPACES = ' '.repeat(256);

/** `text` with the given ranges replaced by spaces, so positions stay aligned. */
function blank(text: string, ranges: Ranges): string {
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
