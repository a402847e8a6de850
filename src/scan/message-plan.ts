/**
 * What one message holds to scan, decided in one place for auto-scan and the "Scan with
 * VirusTotal" menu alike: its texts (content, link-embed URLs, forwarded snapshots) and attachments
 * are gathered, indicators extracted, switched-off kinds and allowlisted names dropped (they cost no
 * VirusTotal request), a host already covered by one of the URLs dropped, duplicates and what was
 * already handled on this message dropped, in a fixed order, and at most
 * {@link MAX_INDICATORS_PER_MESSAGE} kept. Works on a structural message shape (a discord.js
 * Message, a partial one or a test object all fit); nothing here touches the network.
 */
import { extractIndicators, mayHaveIndicator } from './extract.js';
import { isAllowlisted, isAllowlistedUrl } from '../store/allowlist.js';
import type { GuildSettings } from '../store/settings.js';

export interface AttachmentLike {
  id: string;
  name: string;
  size: number;
  url: string;
}

interface Bag<T> {
  values(): Iterable<T>;
  readonly size: number;
}

/** The parts of a message (or a forwarded snapshot) that can hold something to scan. */
export interface MessageParts {
  content: string | null;
  attachments: Bag<AttachmentLike>;
  embeds: readonly { url: string | null }[];
}

export interface ScannableMessage extends MessageParts {
  messageSnapshots?: Bag<Partial<MessageParts>>;
}

export interface Collected {
  /** Separate texts, so a URL never runs across two sources. */
  texts: string[];
  attachments: AttachmentLike[];
}

/**
 * A message with more than this many indicators is spam or a paste of a threat feed; scanning all
 * of it would drain a free key's daily budget. The first ones (attachments, then URLs, hashes, IPs,
 * domains) are scanned and the rest are reported as left out.
 */
export const MAX_INDICATORS_PER_MESSAGE = 20;

export type Planned =
  | { kind: 'url' | 'domain' | 'ip' | 'hash'; value: string }
  | { kind: 'attachment'; value: string; attachment: AttachmentLike };

export interface Plan {
  items: Planned[];
  /** Indicators left out by the per-message cap. */
  overCap: number;
  /** Indicators left out because their domain (or hash) is allowlisted. */
  allowlisted: number;
  /** Masked links whose text names another host (`[discord.com](https://evil…)`), by target URL. */
  maskedTexts: Map<string, string>;
}

export type PlanSettings = Pick<GuildSettings, 'autoscanLinks' | 'autoscanAttachments' | 'allowlist'> & Partial<Pick<GuildSettings, 'allowlistHashes'>>;

/**
 * The cheap test every message of every server goes through before any store read: is there any
 * text, attachment, embed or forwarded message at all?
 */
export function hasScannableParts(message: ScannableMessage): boolean {
  return (
    (message.content ?? '') !== '' ||
    message.attachments.size > 0 ||
    message.embeds.length > 0 ||
    (message.messageSnapshots?.size ?? 0) > 0
  );
}

/**
 * Whether the message may hold something to look up: an attachment, or text the extractor's
 * in-memory fast path does not rule out. Most chat does not, and costs nothing beyond this.
 */
export function mayHoldIndicators(message: ScannableMessage): boolean {
  const collected = collect(message);
  return collected.attachments.length > 0 || collected.texts.some(mayHaveIndicator);
}

/** Gathers texts and attachments from the message and from every message it forwards. */
export function collect(message: ScannableMessage): Collected {
  const texts: string[] = [];
  const attachments: AttachmentLike[] = [];
  const take = (parts: Partial<MessageParts>): void => {
    if (parts.content) texts.push(parts.content);
    // Link previews carry the URL Discord resolved; it may differ from the typed text (redirects
    // shown as embeds, or links only present in an embed of a forwarded message).
    for (const embed of parts.embeds ?? []) if (embed.url) texts.push(embed.url);
    if (parts.attachments) attachments.push(...parts.attachments.values());
  };
  take(message);
  for (const snapshot of message.messageSnapshots?.values() ?? []) take(snapshot);
  return { texts, attachments: uniqueBy(attachments, (a) => a.id) };
}

/** Identity of an indicator on a message: the same key is never answered twice for a message. */
export function plannedKey(item: Pick<Planned, 'kind' | 'value'>): string {
  return `${item.kind}:${item.value}`;
}

export function plan(collected: Collected, settings: PlanSettings, alreadyHandled: ReadonlySet<string> = new Set()): Plan {
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
      // By host and path: an allowlisted site's upload areas (Discord's CDN, release downloads…) are scanned.
      if (isAllowlistedUrl(url, settings.allowlist)) { allowlisted++; continue; }
      if (host !== undefined) urlHosts.add(host);
      items.push({ kind: 'url', value: url });
    }
    for (const value of found.hashes) {
      // Attachments are only hashed once downloaded: auto-scan drops allowlisted files then.
      if (settings.allowlistHashes?.includes(value.toLowerCase()) === true) { allowlisted++; continue; }
      items.push({ kind: 'hash', value });
    }
    // The URL report already covers its host (and sensitive URLs fall back to the domain in the
    // scanner), so a host seen in a URL costs no second request.
    for (const value of found.ips) if (!urlHosts.has(value)) items.push({ kind: 'ip', value });
    for (const value of found.domains) {
      if (urlHosts.has(value)) continue;
      if (allowed(value)) { allowlisted++; continue; }
      items.push({ kind: 'domain', value });
    }
  }
  const fresh = uniqueBy(items, plannedKey).filter((i) => !alreadyHandled.has(plannedKey(i)));
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
