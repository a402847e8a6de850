/**
 * Stage 5 of the pipeline (./pipeline.ts): collect. The Sink that extractIndicators fills:
 * de-duplicated lists, and the masked links whose text names another host than their target.
 */
import type { MaskedLink } from './find.js';
import { NO_MISMATCHES, NONE } from './indicators.js';
import type { Indicators, MaskedMismatch } from './indicators.js';
import type { Sink } from './pipeline.js';
import type { AcceptedUrl } from './validate.js';

/** What a Collector fills: each list starts as the shared empty one and is created on first use. */
interface Found {
  urls: readonly string[];
  domains: readonly string[];
  ips: readonly string[];
  hashes: readonly string[];
  maskedMismatches: readonly MaskedMismatch[];
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
export class Collector implements Sink {
  private readonly out: Found = { urls: NONE, domains: NONE, ips: NONE, hashes: NONE, maskedMismatches: NO_MISMATCHES };
  private seen: Set<string> | undefined;
  private count = 0;
  private names: { pos: number; host: string }[] | undefined;
  private links: PendingLink[] | undefined;

  /** `list` with `value` added (a new array when `list` is the shared empty one). */
  private add(list: readonly string[], kind: string, value: string): readonly string[] {
    if (this.seen !== undefined) {
      const key = kind + value;
      if (this.seen.has(key)) return list;
      this.seen.add(key);
    } else if (list.includes(value)) {
      return list;
    } else if (++this.count > 8) {
      const { urls, domains, ips, hashes } = this.out;
      const keys = [...urls.map((v) => 'u' + v), ...domains.map((v) => 'd' + v), ...ips.map((v) => 'i' + v), ...hashes.map((v) => 'h' + v)];
      this.seen = new Set(keys).add(kind + value);
    }
    if (list === NONE) return [value];
    (list as string[]).push(value);
    return list;
  }

  url(href: string): void {
    this.out.urls = this.add(this.out.urls, 'u', href);
  }
  domain(name: string): void {
    this.out.domains = this.add(this.out.domains, 'd', name);
  }
  ip(ip: string): void {
    this.out.ips = this.add(this.out.ips, 'i', ip);
  }
  hash(hash: string): void {
    this.out.hashes = this.add(this.out.hashes, 'h', hash);
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
    const mismatches: MaskedMismatch[] = [];
    for (const link of this.links) {
      let i = firstAtOrAfter(names, link.start);
      for (; i < names.length && (names[i]?.pos ?? Infinity) < link.end; i++) {
        if (!sameHost(names[i]?.host ?? '', link.host)) {
          mismatches.push({ text: link.text, target: link.target });
          break;
        }
      }
    }
    if (mismatches.length > 0) this.out.maskedMismatches = mismatches;
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
