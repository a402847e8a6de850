/**
 * The host-name rules shared by URLs and bare domains: label syntax, ICANN suffix, special-use
 * names, first-party Discord hosts (docs/extraction.md, "Hosts and domains"). IP addresses: ./public-ip.ts.
 */
import { parse as parseDomain } from 'tldts';

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
function validSyntax(name: string, allowUnderscore: boolean): boolean {
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
function registrable(name: string): boolean {
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
function nameKind(name: string): HostKind {
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
