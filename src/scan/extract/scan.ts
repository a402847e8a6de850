/**
 * The extraction pipeline over one message: clean, find code and masked links, take scheme URLs,
 * blank what they covered, then look for IPs, hashes and bare domains in what is left.
 */
import { blank, outsideMayHave } from './outside.js';
import { findCode, inRanges, NO_RANGES } from './code.js';
import type { Ranges } from './code.js';
import { bareDomain, forEachRun } from './domain.js';
import { textHashes } from './hash.js';
import { textIPv4, textIPv6 } from './ip.js';
import { findMasked } from './masked.js';
import type { MaskedLink } from './masked.js';
import { deleteInvisible, hasMark, needsCleaning, refang } from './refang.js';
import { acceptPlain, acceptUrl, nestedUrls, plausibleHost } from './accept.js';
import type { AcceptedUrl } from './accept.js';
import { growUrl, schemeStart } from './url.js';
import { plainAt, plainHostEnd, plainOf } from './plain.js';

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
 * Runs the whole pipeline on raw message content. What the fast path learnt is passed on:
 * `rawHasHex` false (no 32+ hex run in `raw`) skips the hash scan unless cleaning changed the
 * text (deleted invisibles can join a run), and `anchorFree` (the length of a prefix of `raw`
 * with no fast-path anchor; 0 when unknown) lets the clean-up and outside-the-URLs checks skip
 * re-reading the chat before the first link, which profiling showed as a good part of the cost.
 */
export function scanMessage(raw: string, sink: Sink, rawHasHex = true, anchorFree = 0): void {
  const cleaned = needsCleaning(raw, anchorFree) ? refang(deleteInvisible(raw)) : undefined;
  const text = cleaned?.text ?? raw;
  const changed = text !== raw;
  const code = findCode(text);
  const markup = text.includes('](') ? maskedLinks(text, code, sink) : NO_RANGES;
  const withoutMarkup = blank(text, markup);
  const covered = scanUrls(withoutMarkup, sink);
  // Most link messages are a few words around the link: when nothing outside the URLs could hold
  // an indicator, skip blanking and the four scans below.
  // Once cleaning changed the text, what the fast path saw in `raw` no longer applies.
  const hex = rawHasHex || changed;
  if (covered.length > 0 && markup.length === 0 && !outsideMayHave(withoutMarkup, covered, hex, changed ? 0 : anchorFree)) return;
  const rest = blank(withoutMarkup, covered);
  textIPv4(rest, (ip, pos) => {
    sink.ip(ip);
    sink.named(pos, ip);
  });
  textIPv6(rest, (ip) => sink.ip(ip));
  if (hex) textHashes(rest, (hash) => sink.hash(hash));
  const marks = cleaned?.marks ?? NO_MARKS;
  forEachRun(rest, (start, end) => {
    const found = bareDomain(rest, start, end, { refanged: hasMark(marks, start, end), inCode: inRanges(code, start) });
    if (found === undefined) return;
    if (found.kind === 'name') sink.domain(found.name);
    sink.named(start, found.name);
  });
}

/** Reports masked links' targets and returns the `](...)` markup ranges to blank out. */
function maskedLinks(text: string, code: Ranges, sink: Sink): Ranges {
  const markup: number[] = [];
  for (const link of findMasked(text, code)) {
    const target = acceptUrl(link.target);
    if (target !== undefined) reportUrl(target, link.markupStart, sink);
    markup.push(link.markupStart, link.markupEnd);
    sink.masked(link, target, text);
  }
  return markup;
}

function reportUrl(found: AcceptedUrl, pos: number, sink: Sink): void {
  if (found.domain !== undefined) sink.named(pos, found.domain);
  if (found.ip !== undefined) sink.named(pos, found.ip);
  if (found.kind === 'firstParty') return;
  sink.url(found.href);
  if (found.kind === 'name' && found.domain !== undefined) sink.domain(found.domain);
  if (found.ip !== undefined) sink.ip(found.ip);
  for (const inner of nestedUrls(found.search)) {
    sink.url(inner.href);
    if (inner.kind === 'name' && inner.domain !== undefined) sink.domain(inner.domain);
    if (inner.ip !== undefined) sink.ip(inner.ip);
  }
}

const NO_MARKS: readonly number[] = Object.freeze([]);

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
    // A plain lower-case link (./plain.ts) is measured by one regex pass and serialised without
    // the parser; anything else is grown, trimmed and parsed.
    const plainEnd = plainAt(text, start);
    const end = plainEnd >= 0 ? plainEnd : growUrl(text, start, sep + 3, false);
    const candidate = text.slice(start, end);
    const body = sep + 3 - start;
    let found: AcceptedUrl | undefined | null = null;
    if (plainEnd >= 0 && !candidate.includes('/.')) found = acceptPlain(plainOf(candidate, plainHostEnd() - start, true));
    else if (candidate.length > body && (failures < PARSE_DIRECTLY || plausibleHost(candidate, body))) found = acceptUrl(candidate);
    if (found === undefined) failures++;
    else if (found !== null) reportUrl(found, start, sink);
    covered.push(start, end);
    sep = text.indexOf('://', Math.max(end, sep + 3));
  }
  return covered;
}
