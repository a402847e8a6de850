/**
 * The host rules shared by URLs and bare domains: name syntax, ICANN suffix, special-use names,
 * first-party Discord hosts, and public IP addresses.
 */
import { parse as parseDomain } from 'tldts';
import { createRequire } from 'node:module';
import type * as IpAddr from 'ipaddr.js';

// ipaddr.js is CommonJS with `export =`; without esModuleInterop TypeScript refuses its default
// import and Node exposes no named ones, so load it the CommonJS way (same as a static import).
const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof IpAddr;

/** What a host is allowed to produce. */
export type HostKind = 'name' | 'ip' | 'firstParty' | 'cdn' | 'invalid';

const TLDTS_OPTIONS = {
  allowPrivateDomains: false,
  extractHostname: false,
  validateHostname: false,
  detectIp: false,
  mixedInputs: false,
} as const;

// Not reachable on the public internet, or infrastructure nobody phishes with. localhost, .local,
// .test, .invalid, .example, .internal and .lan are absent from the PSL's ICANN section anyway;
// home.arpa and onion are in it, so they must be named. All of .arpa (reverse-DNS names) goes too.
const SPECIAL_SUFFIXES = ['localhost', 'local', 'test', 'invalid', 'example', 'internal', 'lan', 'arpa', 'onion'];

const FIRST_PARTY = ['discord.com', 'discord.gg', 'discord.gift', 'discordapp.com'];

const icannCache = new Map<string, boolean>();
const CACHE_LIMIT = 50_000;

function isUnder(host: string, suffix: string): boolean {
  return host === suffix || (host.endsWith(suffix) && host.charCodeAt(host.length - suffix.length - 1) === 0x2e);
}

/** Label syntax: 1-63 of [a-z0-9-] (plus '_' in URL hosts), no edge hyphen, 2+ labels, ≤253. */
export function validSyntax(name: string, allowUnderscore: boolean): boolean {
  if (name.length > 253 || name.length < 3) return false;
  let labelStart = 0;
  let labels = 1;
  for (let i = 0; i <= name.length; i++) {
    const c = i < name.length ? name.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      const len = i - labelStart;
      if (len < 1 || len > 63) return false;
      if (name.charCodeAt(labelStart) === 0x2d || name.charCodeAt(i - 1) === 0x2d) return false;
      if (i < name.length) labels++;
      labelStart = i + 1;
    } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || (c === 0x5f && allowUnderscore))) {
      return false;
    }
  }
  return labels >= 2;
}

/** ICANN public suffix with a registrable part, and not a special-use name. Cached per name. */
export function registrable(name: string): boolean {
  const cached = icannCache.get(name);
  if (cached !== undefined) return cached;
  const info = parseDomain(name, TLDTS_OPTIONS);
  const ok = info.isIcann === true && info.domain !== null && !SPECIAL_SUFFIXES.some((s) => isUnder(name, s));
  // A crude bound is enough: the working set of hosts in chat is small, so clearing rarely happens.
  if (icannCache.size >= CACHE_LIMIT) icannCache.clear();
  icannCache.set(name, ok);
  return ok;
}

/** Classifies a valid lower-case ASCII name by the Discord rules. */
export function nameKind(name: string): HostKind {
  if (name === 'cdn.discordapp.com' || isUnder(name, 'discordapp.net')) return 'cdn';
  if (FIRST_PARTY.some((d) => isUnder(name, d))) return 'firstParty';
  return 'name';
}

// One cache per syntax (URL hosts tolerate '_', bare names do not); hosts repeat in chat.
const urlHostKinds = new Map<string, HostKind>();
const bareNameKinds = new Map<string, HostKind>();

/** Full check of a lower-case ASCII host name (no trailing dot), cached. */
export function checkName(name: string, allowUnderscore: boolean): HostKind {
  const cache = allowUnderscore ? urlHostKinds : bareNameKinds;
  let kind = cache.get(name);
  if (kind === undefined) {
    kind = !validSyntax(name, allowUnderscore) || !registrable(name) ? 'invalid' : nameKind(name);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(name, kind);
  }
  return kind;
}

type SpecialRanges = Record<string, [IpAddr.IPv4, number][]>;
let v4Special: [number, number][] | undefined;

/**
 * ipaddr.js's own table of non-unicast IPv4 ranges as [network, prefix] integers. Read from the
 * library (not copied) so "public" stays exactly its range() === 'unicast'; matching integers is
 * ~20x faster than parse + range(), which mattered for messages packed with addresses.
 */
function specialV4(): [number, number][] {
  const table = (ipaddr.IPv4.prototype as unknown as { SpecialRanges: SpecialRanges }).SpecialRanges;
  v4Special ??= Object.values(table).flatMap((ranges) => ranges.map(([net, bits]): [number, number] => [toInt(net.octets), bits]));
  return v4Special;
}

function toInt(octets: readonly number[]): number {
  return (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0)) >>> 0;
}

/** True for a strict dotted-decimal IPv4 that ipaddr.js calls 'unicast' (drops private, CGNAT, ...). */
export function isPublicV4(dotted: string): boolean {
  const ip = parseDottedQuad(dotted);
  if (ip < 0) return false;
  // A plain loop, not .some() with a destructuring callback: that was a fifth of an IP link's cost.
  for (const range of specialV4()) {
    const shift = 32 - range[1];
    if (ip >>> shift === range[0] >>> shift) return false;
  }
  return true;
}

/** Four decimal octets 0-255 without leading zeros, as an unsigned integer; -1 otherwise. */
function parseDottedQuad(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || ++parts > 4) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && !(digits === 1 && octet === 0)) {
      octet = octet * 10 + (c - 0x30);
      if (++digits > 3 || octet > 255) return -1;
    } else {
      return -1;
    }
  }
  return parts === 4 ? value : -1;
}

/** Canonical text of a public IPv6 (2000::/3 and 'unicast'), or undefined. */
export function publicV6(text: string): string | undefined {
  if (!ipaddr.IPv6.isValid(text)) return undefined;
  const addr = ipaddr.IPv6.parse(text);
  const first = addr.parts[0] ?? 0;
  if (first < 0x2000 || first > 0x3fff || addr.range() !== 'unicast') return undefined;
  return addr.toString();
}
