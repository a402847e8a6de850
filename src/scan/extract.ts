/**
 * Indicator extraction for auto-scan: what in a Discord message is worth a VirusTotal lookup.
 * The binding rules are in EXTRACTION.md; where it is silent the choice is commented in
 * `./extract/*` and pinned by a test in `test/scan/extract.test.ts`.
 *
 * No URL regex: cheap anchors ('://', '.', ':', hex runs) found by linear scans, candidates grown
 * in plain code, and validation by real parsers (WHATWG URL, url.domainToASCII, tldts, ipaddr.js).
 */
import { firstAnchor, hasHexRun } from './extract/anchor.js';
import { scanMessage } from './extract/scan.js';
import { textHashes } from './extract/hash.js';
import { Collector, NO_MISMATCHES, NONE } from './extract/collect.js';

export { isSensitiveUrl } from './sensitive.js';

/** A masked link whose visible text names a different host than the link goes to. */
export interface MaskedMismatch {
  /** The visible link text, as typed (after refanging). */
  text: string;
  /** The target URL, normalised exactly like an entry of `urls`. */
  target: string;
}

/**
 * What one message yields. Every array is de-duplicated; order carries no meaning. Read-only: the
 * result for a message with nothing in it is one shared frozen object (no allocation for the
 * ~97% of chat that holds no indicator).
 */
export interface Indicators {
  readonly urls: readonly string[];
  readonly domains: readonly string[];
  readonly ips: readonly string[];
  readonly hashes: readonly string[];
  /**
   * Masked links `[text](url)` whose text names a host (URL, domain or IP, first-party Discord
   * names included) other than the target's host, ignoring a leading "www.". Both the text's
   * indicators and the target are also in the arrays above; this list lets the bot say so.
   */
  readonly maskedMismatches: readonly MaskedMismatch[];
}

const NOTHING: Indicators = Object.freeze({
  urls: NONE,
  domains: NONE,
  ips: NONE,
  hashes: NONE,
  maskedMismatches: NO_MISMATCHES,
});

/**
 * Whether `text` may hold an indicator: the extractor's own fast path (linear, allocation-free).
 * Never false for text `extractIndicators` finds something in, so callers may skip work on false.
 */
export { mayHaveIndicator } from './extract/anchor.js';

/**
 * Extracts the URLs, domains, IP addresses and file hashes a message exposes members to, per
 * EXTRACTION.md. Never throws; linear in the length of `text`.
 *
 * @param text - raw `message.content` (markdown unrendered, escapes as typed)
 */
export function extractIndicators(text: string): Indicators {
  // The fast path (mayHaveIndicator, unrolled so the pipeline can reuse both answers).
  const hex = hasHexRun(text);
  const anchor = firstAnchor(text);
  if (anchor < 0) return hex ? hashesOnly(text) : NOTHING;
  const found = new Collector();
  scanMessage(text, found, hex, anchor);
  return found.result();
}

/**
 * A message with a hex run but no anchor ("sha256 9f86...") can hold nothing but hashes: every
 * other indicator, masked link, refang marker and invisible character starts with an anchor. So
 * the hash scan alone on the raw text gives what the whole pipeline would, at a fraction of it.
 */
function hashesOnly(text: string): Indicators {
  const found = new Collector();
  textHashes(text, (hash) => found.hash(hash));
  return found.result();
}
