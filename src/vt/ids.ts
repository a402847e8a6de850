/**
 * Pure helpers for VirusTotal identifiers: hash kinds, URL ids and permalinks.
 *
 * @see https://docs.virustotal.com/reference/url (URL identifiers)
 */
import { createHash } from 'node:crypto';
import type { ObjectKind } from '../core/objects.js';
import type { Report } from './report.js';

export type HashKind = 'md5' | 'sha1' | 'sha256';

const HASH_LENGTHS: Readonly<Record<number, HashKind>> = Object.freeze({ 32: 'md5', 40: 'sha1', 64: 'sha256' });

/** The kind of a hex file hash by its length, or null when `value` is not an md5/sha1/sha256. */
export function hashKind(value: string): HashKind | null {
  if (!/^[0-9a-f]+$/i.test(value)) return null;
  return HASH_LENGTHS[value.length] ?? null;
}

/**
 * The URL as VirusTotal stores it. VirusTotal documents only that it canonicalises submitted URLs;
 * what it visibly does matches the WHATWG parser: scheme and host lower-cased, default port dropped,
 * an empty path becomes `/`, and a URL without a scheme is taken as `http://`.
 */
export function canonicalUrl(url: string): string {
  const trimmed = url.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  return new URL(withScheme).href;
}

/**
 * The v3 URL identifier: unpadded base64url of the URL. VirusTotal accepts it for `GET /urls/{id}`
 * and canonicalises on its side, so the URL is sent as given.
 */
export function urlId(url: string): string {
  return Buffer.from(url, 'utf8').toString('base64url');
}

/** The other accepted URL identifier, and the one VirusTotal's pages use: sha256 of the canonical URL. */
export function urlSha256(url: string): string {
  return createHash('sha256').update(canonicalUrl(url), 'utf8').digest('hex');
}

const GUI = 'https://www.virustotal.com/gui';
const GUI_SEGMENT: Readonly<Record<ObjectKind, string>> = Object.freeze({
  file: 'file',
  url: 'url',
  domain: 'domain',
  ip: 'ip-address',
});

/**
 * VirusTotal's own page for an object. `id` is the sha256 for files, the sha256 URL id for URLs
 * (use {@link urlPermalink} when holding the URL itself), the name for domains, the address for IPs.
 */
export function permalink(kind: ObjectKind, id: string): string {
  return `${GUI}/${GUI_SEGMENT[kind]}/${encodeURIComponent(id)}`;
}

/** The page of a URL: `/gui/url/<sha256 of the canonical URL>`. */
export function urlPermalink(url: string): string {
  return permalink('url', urlSha256(url));
}

/** The v3 collection that holds objects of a kind (`/files`, `/urls`, `/domains`, `/ip_addresses`). */
export function collectionOf(kind: ObjectKind): string {
  return kind === 'ip' ? 'ip_addresses' : kind === 'url' ? 'urls' : kind === 'domain' ? 'domains' : 'files';
}

/** The kind of a v3 object `type` (`file`, `url`, `domain`, `ip_address`), or null for others. */
export function kindOfType(type: string): ObjectKind | null {
  switch (type) {
    case 'file': return 'file';
    case 'url': return 'url';
    case 'domain': return 'domain';
    case 'ip_address': return 'ip';
    default: return null;
  }
}

/** The object a request asked about: a file hash, a URL (or its sha256 id), a domain or an IP. */
export interface Asked {
  kind: ObjectKind;
  id: string;
}

const lower = (value: string | undefined): string | undefined => value?.toLowerCase();

/** The canonical URL, or null for text no URL parser accepts (compares nothing equal). */
function canonicalOrNull(url: string): string | null {
  try {
    return canonicalUrl(url);
  } catch {
    return null;
  }
}

/**
 * Whether `report` is about the object that was asked for. A report about something else is a
 * malformed answer (a proxy or cache mixing answers up), never to be shown as the asked object.
 * Files match by any of their hashes; URLs by id (sha256 of the canonical URL) or by the canonical
 * URL itself; domains (trailing dot ignored) and IPs case-insensitively.
 */
export function answersAsked(report: Report, asked: Asked): boolean {
  if (report.kind !== asked.kind) return false;
  const id = asked.id.toLowerCase();
  const facts = report.facts;
  switch (facts.kind) {
    case 'file':
      return [report.id, facts.sha256, facts.md5, facts.sha1].some((hash) => lower(hash) === id);
    case 'url': {
      if (report.id.toLowerCase() === id) return true;
      const canonical = canonicalOrNull(asked.id);
      return canonical !== null && (report.id === urlSha256(asked.id) || canonicalOrNull(facts.url) === canonical);
    }
    case 'domain':
    case 'ip':
      return hostForm(report.id) === hostForm(asked.id);
  }
}

/**
 * A domain or IP as a URL parser writes its host: lower case, punycode for IDN, IPv6 compressed,
 * no trailing dot; so `BÜCHER.example.` and `xn--bcher-kva.example` compare equal.
 */
function hostForm(host: string): string {
  const bare = host.trim().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const inUrl = bare.includes(':') ? `[${bare}]` : bare;
  return URL.parse(`http://${inUrl}/`)?.hostname ?? bare.toLowerCase();
}
