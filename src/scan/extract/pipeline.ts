/**
 * The extraction pipeline over one message, stage by stage (docs/extraction.md, "How the
 * extractor is laid out"): 1 clean (./clean.ts), 2 find candidates (./find.ts), 3 grow URL
 * candidates (./grow.ts), 4 validate (./validate.ts), 5 report to a Sink (./collect.ts fills the
 * public result). Masked links and scheme URLs go first; what they covered is blanked, and IPs,
 * hashes and bare domains are looked for in what is left.
 */
import { deleteInvisible, hasMark, needsCleaning, refang } from './clean.js';
import { blank, findCode, findMasked, forEachHashRun, forEachIPv4, forEachIPv6, forEachRun, inRanges, NO_RANGES, outsideMayHave, schemeStart } from './find.js';
import type { MaskedLink, Ranges } from './find.js';
import { growUrl, plainEnd, plainHostEnd } from './grow.js';
import { plainOf } from './plain-url.js';
import { isPublicV4, publicV6 } from './public-ip.js';
import { acceptPlain, acceptUrl, bareDomain, hashIn, nestedUrls, plausibleHost } from './validate.js';
import type { AcceptedUrl } from './validate.js';

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
export function runStages(raw: string, sink: Sink, rawHasHex = true, anchorFree = 0): void {
  // 1. Clean: invisible characters go, defanged spellings come back (with where they were).
  const cleaned = needsCleaning(raw, anchorFree) ? refang(deleteInvisible(raw)) : undefined;
  const text = cleaned?.text ?? raw;
  const changed = text !== raw;
  // 2-5 for markup: code spans, then masked links (their targets grown, validated, reported).
  const code = findCode(text);
  const markup = text.includes('](') ? maskedLinks(text, code, sink) : NO_RANGES;
  const withoutMarkup = blank(text, markup);
  // 2-5 for scheme URLs.
  const covered = scanUrls(withoutMarkup, sink);
  // Most link messages are a few words around the link: when nothing outside the URLs could hold
  // an indicator, skip blanking and the scans below. Once cleaning changed the text, what the
  // fast path saw in `raw` no longer applies.
  const hex = rawHasHex || changed;
  if (covered.length > 0 && markup.length === 0 && !outsideMayHave(withoutMarkup, covered, hex, changed ? 0 : anchorFree)) return;
  // 2-5 for the rest of the text: IPs, hashes, bare domains.
  const rest = blank(withoutMarkup, covered);
  forEachIPv4(rest, (candidate, pos) => {
    if (!isPublicV4(candidate)) return;
    sink.ip(candidate);
    sink.named(pos, candidate);
  });
  forEachIPv6(rest, (candidate) => {
    const ip = publicV6(candidate);
    if (ip !== undefined) sink.ip(ip);
  });
  if (hex) scanHashes(rest, sink);
  const marks = cleaned?.marks ?? NO_MARKS;
  forEachRun(rest, (start, end) => {
    const found = bareDomain(rest, start, end, { refanged: hasMark(marks, start, end), inCode: inRanges(code, start) });
    if (found === undefined) return;
    if (found.kind === 'name') sink.domain(found.name);
    sink.named(start, found.name);
  });
}

/** Reports every hash in `text` (the whole pipeline for a message that has only hex runs). */
export function scanHashes(text: string, sink: Sink): void {
  forEachHashRun(text, (start, end) => {
    const hash = hashIn(text, start, end);
    if (hash !== undefined) sink.hash(hash);
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
    // Grow: a plain lower-case link is measured by one regex pass and serialised without the
    // parser (./plain-url.ts); anything else is grown, trimmed and parsed.
    const hostEnd = plainHostEnd(text, start);
    const plain = hostEnd < 0 ? -1 : plainEnd(text, hostEnd);
    const end = plain >= 0 ? plain : growUrl(text, start, sep + 3, false);
    const candidate = text.slice(start, end);
    const body = sep + 3 - start;
    // Validate (null: not even tried, the candidate is only a scheme).
    let found: AcceptedUrl | undefined | null = null;
    if (plain >= 0 && !candidate.includes('/.')) found = acceptPlain(plainOf(candidate, hostEnd - start, true));
    else if (candidate.length > body && (failures < PARSE_DIRECTLY || plausibleHost(candidate, body))) found = acceptUrl(candidate);
    if (found === undefined) failures++;
    else if (found !== null) reportUrl(found, start, sink);
    covered.push(start, end);
    sep = text.indexOf('://', Math.max(end, sep + 3));
  }
  return covered;
}

/** Collect: a valid URL, its host, and the URLs nested one level deep in its query. */
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
