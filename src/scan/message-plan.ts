/**
 * Turns collected texts and attachments into the list of things to look up for one message, under
 * the guild's settings: switched-off kinds dropped, allowlisted names dropped (they cost no
 * VirusTotal request), duplicates and what was already handled on this message dropped, and at
 * most {@link MAX_INDICATORS_PER_MESSAGE} kept.
 */
import { extractIndicators } from './extract.js';
import { isAllowlisted } from '../store/settings.js';
import type { GuildSettings } from '../store/settings.js';
import type { AttachmentLike, Collected } from './message-collect.js';

/**
 * A message with more than this many indicators is spam or a paste of a threat feed; scanning all
 * of it would drain a free key's daily budget. The first ones (attachments, then URLs, hashes, IPs,
 * domains) are scanned and the rest are logged as skipped.
 */
export const MAX_INDICATORS_PER_MESSAGE = 20;

export type Planned =
  | { kind: 'url' | 'domain' | 'ip' | 'hash'; value: string }
  | { kind: 'attachment'; value: string; attachment: AttachmentLike };

export interface Plan {
  items: Planned[];
  /** Indicators left out by the per-message cap. */
  overCap: number;
  /** Indicators left out because their domain is allowlisted. */
  allowlisted: number;
  /** Masked links whose text names another host (`[discord.com](https://evil…)`), by target URL. */
  maskedTexts: Map<string, string>;
}

/** Identity of an indicator on a message: the same key is never answered twice for a message. */
export function keyOf(item: Pick<Planned, 'kind' | 'value'>): string {
  return `${item.kind}:${item.value}`;
}

type PlanSettings = Pick<GuildSettings, 'autoscanLinks' | 'autoscanAttachments' | 'allowlist'>;

export function plan(collected: Collected, settings: PlanSettings, alreadyHandled: ReadonlySet<string>): Plan {
  const items: Planned[] = [];
  let allowlisted = 0;
  let maskedTexts = new Map<string, string>();
  if (settings.autoscanAttachments) {
    // Keyed by attachment id: the sha256 is only known once the file is downloaded.
    for (const a of collected.attachments) items.push({ kind: 'attachment', value: a.id, attachment: a });
  }
  if (settings.autoscanLinks) {
    const found = extractAll(collected.texts);
    maskedTexts = found.masked;
    const allowed = (host: string): boolean => isAllowlisted(host, settings.allowlist);
    const urlHosts = new Set<string>();
    for (const url of found.urls) {
      const host = hostOf(url);
      if (host !== undefined && allowed(host)) { allowlisted++; continue; }
      if (host !== undefined) urlHosts.add(host);
      items.push({ kind: 'url', value: url });
    }
    for (const value of found.hashes) items.push({ kind: 'hash', value });
    // The URL report already covers its host (and sensitive URLs fall back to the domain in the
    // scanner), so a host seen in a URL costs no second request.
    for (const value of found.ips) if (!urlHosts.has(value)) items.push({ kind: 'ip', value });
    for (const value of found.domains) {
      if (urlHosts.has(value)) continue;
      if (allowed(value)) { allowlisted++; continue; }
      items.push({ kind: 'domain', value });
    }
  }
  const fresh = uniqueBy(items, keyOf).filter((i) => !alreadyHandled.has(keyOf(i)));
  return {
    items: fresh.slice(0, MAX_INDICATORS_PER_MESSAGE),
    overCap: Math.max(0, fresh.length - MAX_INDICATORS_PER_MESSAGE),
    allowlisted,
    maskedTexts,
  };
}

interface Found { urls: Set<string>; domains: Set<string>; ips: Set<string>; hashes: Set<string>; masked: Map<string, string> }

function extractAll(texts: readonly string[]): Found {
  const found: Found = { urls: new Set(), domains: new Set(), ips: new Set(), hashes: new Set(), masked: new Map() };
  for (const text of texts) {
    const x = extractIndicators(text);
    for (const v of x.urls) found.urls.add(v);
    for (const v of x.domains) found.domains.add(v);
    for (const v of x.ips) found.ips.add(v);
    for (const v of x.hashes) found.hashes.add(v);
    for (const m of x.maskedMismatches) found.masked.set(m.target, m.text);
  }
  return found;
}

function hostOf(url: string): string | undefined {
  try {
    // IPv6 hosts come bracketed from the URL parser but bare from the extractor.
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

function uniqueBy<T>(list: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((t) => (seen.has(key(t)) ? false : (seen.add(key(t)), true)));
}
