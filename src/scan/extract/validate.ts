/**
 * Stage 4 of the pipeline (./pipeline.ts): validate candidates with real parsers and the host
 * rules. A URL is normalised by the WHATWG parser (or ./plain-url.ts when it is plain), then its
 * host decides (public IP, ICANN name, first-party Discord); query parameters may hold one more
 * level of URLs. A bare-domain run is checked against the boundary, file-name and code rules and
 * mapped to ASCII. A hex run is a hash when it mixes digits and letters.
 */
import { domainToASCII } from 'node:url';
import { isAsciiAlnum } from './chars.js';
import { checkName } from './host.js';
import type { HostKind } from './host.js';
import { plainIPv4Url, plainUrl } from './plain-url.js';
import type { PlainUrl } from './plain-url.js';
import { isPublicV4, publicV6 } from './public-ip.js';

/** A URL that passed every rule, with what its host contributes. */
export interface AcceptedUrl {
  href: string;
  kind: HostKind;
  /** Host name without trailing dot (kinds 'name' and 'firstParty'); reported for 'name' only. */
  domain: string | undefined;
  /** Public IP to report (kind 'ip' only). */
  ip: string | undefined;
  /** What URL.search gives (nested URLs are looked for in it). */
  search: string;
}

/**
 * Cheap reject before paying for a parse (a failed URL costs as much as a good one, and
 * adversarial text is full of them). Only hosts certain to fail are rejected here: a plain
 * ASCII name (what WHATWG would keep as-is, lower-cased) that the domain rules refuse, or a
 * single label that is not a numeric IPv4 spelling. Anything unusual ('%', '[', non-ASCII,
 * numeric last label) is left to the real parser.
 */
export function plausibleHost(candidate: string, body: number): boolean {
  let end = candidate.length;
  for (let i = body; i < candidate.length; i++) {
    const c = candidate.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23 || c === 0x5c) {
      end = i;
      break;
    }
  }
  const authority = candidate.slice(body, end);
  let host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host.length === 0) return false;
  if (!/^[A-Za-z0-9._:-]+$/.test(host)) return true;
  const colon = host.indexOf(':');
  if (colon >= 0) host = host.slice(0, colon);
  // WHATWG "ends in a number": the host is an IPv4 spelling (decimal, octal, hex, short forms).
  if (/(?:^|\.)(?:\d+|0x[0-9a-f]*)\.?$/i.test(host)) return true;
  host = host.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  return checkName(host, true) !== 'invalid';
}

/** acceptUrl for a URL ./plain-url.ts has already serialised: only the host name rules remain. */
export function acceptPlain(plain: PlainUrl): AcceptedUrl | undefined {
  const kind = checkName(plain.host, true);
  if (kind === 'invalid') return undefined;
  return { href: plain.href, kind, domain: kind === 'cdn' ? undefined : plain.host, ip: undefined, search: plain.search };
}

/**
 * Parses and applies the URL rules; undefined when the URL yields nothing. First-party Discord
 * hosts come back with kind 'firstParty' (the caller drops them but still knows the name).
 */
export function acceptUrl(candidate: string): AcceptedUrl | undefined {
  const plain = plainUrl(candidate);
  if (plain !== undefined) return acceptPlain(plain);
  const v4 = plainIPv4Url(candidate);
  if (v4 !== undefined) return isPublicV4(v4.host) ? { href: v4.href, kind: 'ip', domain: undefined, ip: v4.host, search: v4.search } : undefined;
  const url = URL.parse(candidate);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  const host = url.hostname;
  if (host.startsWith('[')) {
    const ip = publicV6(host.slice(1, -1));
    return ip === undefined ? undefined : { href: url.href, kind: 'ip', domain: undefined, ip, search: url.search };
  }
  if (/^[\d.]+$/.test(host)) {
    // WHATWG has already turned every numeric IPv4 spelling into dotted decimal.
    return isPublicV4(host) ? { href: url.href, kind: 'ip', domain: undefined, ip: host, search: url.search } : undefined;
  }
  // A single trailing dot (FQDN spelling) still reaches the same site; report the name without it.
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  const kind = checkName(name, true);
  if (kind === 'invalid') return undefined;
  return { href: url.href, kind, domain: kind === 'cdn' ? undefined : name, ip: undefined, search: url.search };
}

// Shared empty answer: nearly every URL has no nested one, and this runs for each.
const NO_URLS: readonly AcceptedUrl[] = Object.freeze([]);

/**
 * The values URL.searchParams would give for `search` ('?...'). Without '%' or '+' the
 * form-urlencoded decoding changes nothing, so splitting on '&' and the first '=' is the whole
 * parse, and skips building a URLSearchParams (a redirector link cost twice a plain one).
 */
function queryValues(search: string): Iterable<string> {
  if (search.includes('%') || search.includes('+')) return new URLSearchParams(search).values();
  const values: string[] = [];
  for (const pair of search.slice(1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq >= 0) values.push(pair.slice(eq + 1));
  }
  return values;
}

/** Query-parameter values that are themselves acceptable http(s) URLs (one level deep). */
export function nestedUrls(search: string): readonly AcceptedUrl[] {
  // A nested URL needs "http" in the query, or a '%' that could decode to it.
  if (search.length < 10 || !/http|%/i.test(search)) return NO_URLS;
  const found: AcceptedUrl[] = [];
  for (const value of queryValues(search)) {
    if (value.length < 10 || (value.charCodeAt(0) | 0x20) !== 0x68 || !/^https?:\/\//i.test(value)) continue;
    const plain = plainUrl(value);
    // A plain value needs no cheap reject: its host check is all that is left anyway.
    if (plain === undefined && !plausibleHost(value, value.indexOf('//') + 2)) continue;
    const inner = plain === undefined ? acceptUrl(value) : acceptPlain(plain);
    if (inner !== undefined && inner.kind !== 'firstParty') found.push(inner);
  }
  return found;
}

// ---- Bare domains (runs found by ./find.ts forEachRun).

/** Where a run sits, for the rules that depend on context. */
export interface RunContext {
  /** The run needed refanging: file-name and code rules do not apply. */
  refanged: boolean;
  /** The run starts inside a code span or block. */
  inCode: boolean;
}

// TLDs that are also common file extensions: bare "main.py" is a file name, "docs.rs/x" a site.
const FILE_LIKE_TLDS = new Set(['zip', 'mov', 'md', 'py', 'sh', 'rs', 'so', 'gd', 'java', 'map', 'one']);

/** The valid name in the run [start, end) and its kind, or undefined (first-party included). */
export function bareDomain(text: string, start: number, end: number, ctx: RunContext): { name: string; kind: HostKind } | undefined {
  if (!boundaryOk(text, start, end)) return undefined;
  if (ctx.inCode && !ctx.refanged) return undefined;
  let e = end;
  if (text.charCodeAt(e - 1) === 0x2e) e--;
  if (endsInDigitLabel(text, start, e)) return undefined; // versions and IPs: no TLD is numeric
  // A departure (docs/extraction.md): a run over 512 characters is no name even when UTS-46 would
  // map it to a short one (it drops ignorable marks). No honest name is that long, and UTS-46 on
  // a 4,000-character run is the one expensive step an adversary could force.
  if (e - start > 512) return undefined;
  const raw = text.slice(start, e);
  if (raw.includes('..') || !/[a-z\u0080-\uffff]/i.test(raw.slice(raw.lastIndexOf('.') + 1))) return undefined;
  const name = /[\u0080-\uffff]/.test(raw) ? domainToASCII(raw) : raw.toLowerCase();
  if (name === '') return undefined;
  const tld = name.slice(name.lastIndexOf('.') + 1);
  if (FILE_LIKE_TLDS.has(tld) && !ctx.refanged && text.charCodeAt(end) !== 0x2f) return undefined;
  const kind = checkName(name, false);
  return kind === 'invalid' ? undefined : { name, kind };
}

function endsInDigitLabel(text: string, start: number, end: number): boolean {
  let i = end - 1;
  while (i >= start && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i--;
  return i < end - 1 && (i < start || text.charCodeAt(i) === 0x2e);
}

function boundaryOk(text: string, start: number, end: number): boolean {
  if (text.charCodeAt(end) === 0x40) return false;
  if (start === 0) return true;
  const before = text.charCodeAt(start - 1);
  if (before === 0x40 || before === 0x5c || before === 0x25) return false;
  if (before !== 0x5f) return true;
  // docs/extraction.md rejects a preceding '_' (snake_case identifiers) but also says markdown around an
  // indicator is not part of it; "__evil.com__" is underline markup, so a run of '_' that is
  // itself preceded by a non-identifier character (or nothing) counts as markdown.
  let u = start - 1;
  while (u > 0 && text.charCodeAt(u - 1) === 0x5f) u--;
  return u === 0 || !isAsciiAlnum(text.charCodeAt(u - 1));
}

// ---- Hashes (runs found by ./find.ts forEachHashRun).

/** The hash in the hex run [start, end), lower-cased, or undefined when it lacks a digit or a letter. */
export function hashIn(text: string, start: number, end: number): string | undefined {
  const run = text.slice(start, end);
  return /\d/.test(run) && /[a-f]/i.test(run) ? run.toLowerCase() : undefined;
}
