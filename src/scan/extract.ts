/**
 * Indicator extraction for auto-scan: what in a Discord message is worth a VirusTotal lookup.
 * The binding rules are in EXTRACTION.md; where it is silent the choice is commented in
 * `./extract/*` and pinned by a test in `test/scan/extract.test.ts`.
 *
 * No URL regex: cheap anchors ('://', '.', ':', hex runs) found by linear scans, candidates grown
 * in plain code, and validation by real parsers (WHATWG URL, url.domainToASCII, tldts, ipaddr.js).
 */
import { ANCHOR, hasHexRun } from './extract/anchor.js';
import { scanMessage } from './extract/scan.js';
import type { AcceptedUrl } from './extract/accept.js';
import type { MaskedLink } from './extract/masked.js';
import type { Sink } from './extract/scan.js';

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
  urls: Object.freeze([]),
  domains: Object.freeze([]),
  ips: Object.freeze([]),
  hashes: Object.freeze([]),
  maskedMismatches: Object.freeze([]),
});

/** The mutable arrays a Collector fills. */
interface Found {
  urls: string[];
  domains: string[];
  ips: string[];
  hashes: string[];
  maskedMismatches: MaskedMismatch[];
}

/**
 * Extracts the URLs, domains, IP addresses and file hashes a message exposes members to, per
 * EXTRACTION.md. Never throws; linear in the length of `text`.
 *
 * @param text - raw `message.content` (markdown unrendered, escapes as typed)
 */
export function extractIndicators(text: string): Indicators {
  // The fast path (mayHaveIndicator, unrolled so the hex answer is not computed twice).
  const hex = hasHexRun(text);
  if (!hex && !ANCHOR.test(text)) return NOTHING;
  const found = new Collector();
  scanMessage(text, found, hex);
  return found.result();
}

interface PendingLink {
  start: number;
  end: number;
  text: string;
  target: string;
  host: string;
}

/**
 * Gathers what the pipeline reports. Messages carry a handful of indicators, so plain arrays with
 * `includes` de-duplicate faster than Sets; one Set takes over past a few entries so a message
 * stuffed with names stays linear. A class rather than closures keeps the slow path lean.
 */
class Collector implements Sink {
  private readonly out: Found = { urls: [], domains: [], ips: [], hashes: [], maskedMismatches: [] };
  private seen: Set<string> | undefined;
  private count = 0;
  private names: { pos: number; host: string }[] | undefined;
  private links: PendingLink[] | undefined;

  private add(list: string[], kind: string, value: string): void {
    if (this.seen !== undefined) {
      const key = kind + value;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    } else if (list.includes(value)) {
      return;
    } else if (++this.count > 8) {
      const { urls, domains, ips, hashes } = this.out;
      const keys = [...urls.map((v) => 'u' + v), ...domains.map((v) => 'd' + v), ...ips.map((v) => 'i' + v), ...hashes.map((v) => 'h' + v)];
      this.seen = new Set(keys).add(kind + value);
    }
    list.push(value);
  }

  url(href: string): void {
    this.add(this.out.urls, 'u', href);
  }
  domain(name: string): void {
    this.add(this.out.domains, 'd', name);
  }
  ip(ip: string): void {
    this.add(this.out.ips, 'i', ip);
  }
  hash(hash: string): void {
    this.add(this.out.hashes, 'h', hash);
  }
  named(pos: number, host: string): void {
    // Names only matter inside masked-link text, and masked links are reported first.
    if (this.links !== undefined) (this.names ??= []).push({ pos, host });
  }
  masked(link: MaskedLink, target: AcceptedUrl | undefined, full: string): void {
    const host = target?.domain ?? target?.ip;
    if (target === undefined || target.kind === 'firstParty' || host === undefined) return;
    const text = full.slice(link.textStart, link.textEnd);
    (this.links ??= []).push({ start: link.textStart, end: link.textEnd, text, target: target.href, host });
  }

  result(): Indicators {
    if (this.links === undefined) return this.out;
    // Sorted once and searched per link: a message packed with masked links stays O(n log n).
    const names = (this.names ?? []).sort((a, b) => a.pos - b.pos);
    for (const link of this.links) {
      let i = firstAtOrAfter(names, link.start);
      for (; i < names.length && (names[i]?.pos ?? Infinity) < link.end; i++) {
        if (!sameHost(names[i]?.host ?? '', link.host)) {
          this.out.maskedMismatches.push({ text: link.text, target: link.target });
          break;
        }
      }
    }
    return this.out;
  }
}

/** Index of the first name at or after `pos` in a list sorted by position. */
function firstAtOrAfter(names: readonly { pos: number }[], pos: number): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((names[mid]?.pos ?? Infinity) < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** "www.example.com" and "example.com" are the same site to a reader; anything else is not. */
function sameHost(a: string, b: string): boolean {
  const strip = (h: string): string => (h.startsWith('www.') ? h.slice(4) : h);
  return strip(a) === strip(b);
}
