/**
 * Indicator extraction for auto-scan: what in a Discord message is worth a VirusTotal lookup.
 * The rules are in docs/extraction.md; each is pinned by a test in `test/scan/extract.test.ts`.
 *
 * No URL regex: cheap anchors ('://', '.', ':', hex runs) found by linear scans, candidates grown
 * in plain code, and validation by real parsers (WHATWG URL, url.domainToASCII, tldts, ipaddr.js).
 * The stages, in the order a message meets them, are in ./extract/pipeline.ts.
 */
import { ANCHOR, firstAnchor, hasHexRun } from './extract/fast-path.js';
import { runStages, scanHashes } from './extract/pipeline.js';
import { Collector } from './extract/collect.js';
import { NOTHING } from './extract/indicators.js';
import type { Indicators } from './extract/indicators.js';

/**
 * Whether `text` may hold an indicator: the extractor's own fast path (linear, allocation-free).
 * Never false for text `extractIndicators` finds something in, so callers may skip work on false.
 */
export function mayHaveIndicator(text: string): boolean {
  return hasHexRun(text) || ANCHOR.test(text);
}

/**
 * Extracts the URLs, domains, IP addresses and file hashes a message exposes members to, per
 * docs/extraction.md. Never throws; linear in the length of `text`.
 *
 * @param text - raw `message.content` (markdown unrendered, escapes as typed)
 */
export function extractIndicators(text: string): Indicators {
  // The fast path (mayHaveIndicator, unrolled so the pipeline can reuse both answers).
  const hex = hasHexRun(text);
  const anchor = firstAnchor(text);
  if (anchor < 0) return hex ? hashesOnly(text) : NOTHING;
  const found = new Collector();
  runStages(text, found, hex, anchor);
  return found.result();
}

/**
 * A message with a hex run but no anchor ("sha256 9f86...") can hold nothing but hashes: every
 * other indicator, masked link, refang marker and invisible character starts with an anchor. So
 * the hash scan alone on the raw text gives what the whole pipeline would, at a fraction of it.
 */
function hashesOnly(text: string): Indicators {
  const found = new Collector();
  scanHashes(text, found);
  return found.result();
}
