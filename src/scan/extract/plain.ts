/**
 * The WHATWG serialisation of "obviously plain" http(s) URLs without running the parser.
 *
 * Profiling the candidate path (messages past the fast path) put URL parsing and its getters at
 * about a third of the time, plus the garbage of one URL object per link. Almost every link in
 * chat is plain: an ASCII name host, no port or userinfo, a path and query of unreserved
 * characters. For those the parser changes nothing but the case of scheme and host and an empty
 * path, so the href can be written directly. Anything else (IP-looking or punycode hosts,
 * ports, '@', '%', backslashes, dot segments, quotes, brackets, non-ASCII, ...) returns
 * undefined and goes to `URL.parse`. A property test compares this with `new URL(...).href`.
 */
import { classAt, URL_STOP } from './chars.js';

// scheme :// host. The host is 2+ labels of [a-z0-9-], no label starting "xn--" (punycode is
// validated by the parser), and a last label starting with a letter, so WHATWG never reads it
// as an IPv4 number. Sticky, so lastIndex ends up at the end of the host.
const HEAD = /https?:\/\/(?!xn--)[a-z0-9-]+(?:\.(?!xn--)[a-z0-9-]+)*\.(?!xn--)[a-z][a-z0-9-]*/iy;
// Lower-case scheme and 2+ labels, for links in free text (no case mapping needed). The
// lookaheads and the last-label rule are checked in plainAt instead: per label they cost more
// in the regex than one includes('xn--') and one character test on the host afterwards.
const LOWER_HEAD = /https?:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+/y;
// Path, query and fragment of characters that no WHATWG percent-encode set contains (no "'"
// either: special-scheme queries encode it), at most one '#'.
const REST = /(?:[/?][\w\-.~!$&()*+,;=:@/?]*)?(?:#[\w\-.~!$&()*+,;=:@/?]*)?/y;

// "/." or "/.." ending a segment anywhere after the host: the parser would resolve dot segments.
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;

/** A plain URL's WHATWG href and its parts. */
export interface PlainUrl {
  href: string;
  /** Lower-case host name, never with a trailing dot (an IPv4 address only from plainIPv4Url). */
  host: string;
  /** What `URL.search` would give: '?' and the query, or '' for none or an empty one. */
  search: string;
}

/** End of the plain rest starting at `from` (REST always matches, possibly empty). */
function restEnd(text: string, from: number): number {
  REST.lastIndex = from;
  REST.test(text);
  return REST.lastIndex;
}

// scheme :// dotted-quad IPv4 (no leading zeros, so WHATWG keeps it as typed) and an optional
// port of 1-5 digits without a leading zero, followed by the path, query, fragment or the end.
const IPV4_HEAD = /^(https?):\/\/((?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?::([1-9]\d{0,4}))?(?=[/?#]|$)/i;

/**
 * A dotted-quad IPv4 link ("http://203.0.113.7:8080/x", `host` the address) serialised without
 * URL.parse, its costliest step; undefined (parser decides) for ports over 65535, odd spellings,
 * dot segments or anything REST does not cover.
 */
export function plainIPv4Url(candidate: string): PlainUrl | undefined {
  const m = IPV4_HEAD.exec(candidate);
  if (m === null) return undefined;
  const [head, scheme = '', host = '', port] = m;
  if (restEnd(candidate, head.length) !== candidate.length || DOT_SEGMENT.test(candidate)) return undefined;
  const lower = scheme.toLowerCase();
  let portPart = '';
  if (port !== undefined) {
    const n = Number(port);
    if (n > 65535) return undefined;
    // WHATWG drops the scheme's default port.
    if (n !== (lower === 'http' ? 80 : 443)) portPart = ':' + port;
  }
  const rest = candidate.slice(head.length);
  const href = `${lower}://${host}${portPart}${rest.startsWith('/') ? '' : '/'}${rest}`;
  return { href, host, search: searchOf(candidate, head.length) };
}

/** The candidate as a plain URL, or undefined when the parser must decide (see above). */
export function plainUrl(candidate: string): PlainUrl | undefined {
  HEAD.lastIndex = 0;
  if (!HEAD.test(candidate)) return undefined;
  const hostEnd = HEAD.lastIndex;
  if (restEnd(candidate, hostEnd) !== candidate.length || DOT_SEGMENT.test(candidate)) return undefined;
  return plainOf(candidate, hostEnd, false);
}

/**
 * The parts of a candidate known to be plain (no dot segment either), whose host ends at
 * `hostEnd`; `lower` when scheme and host are known to be lower-case already.
 */
export function plainOf(candidate: string, hostEnd: number, lower: boolean): PlainUrl {
  const body = candidate.charCodeAt(4) === 0x3a ? 7 : 8; // "http:" or "https:"
  const slash = candidate.charCodeAt(hostEnd) === 0x2f;
  // The usual lower-case link with a path is its own href: no new string is built.
  if (lower && slash) return { href: candidate, host: candidate.slice(body, hostEnd), search: searchOf(candidate, hostEnd) };
  const head = candidate.slice(0, hostEnd).toLowerCase();
  const href = head + (slash ? '' : '/') + candidate.slice(hostEnd);
  return { href, host: head.slice(body), search: searchOf(candidate, hostEnd) };
}

let lastHostEnd = 0;

/** Where the host ended in the last successful `plainAt` (extraction is synchronous). */
export function plainHostEnd(): number {
  return lastHostEnd;
}

/**
 * End of a plain, lower-case URL starting at `start` in free text, or -1. It must end where
 * growUrl would stop (the end, a URL_STOP character such as whitespace, '<' or an emoji, or
 * '||') on a character trimEnd keeps, so one regex pass replaces growing, trimming and checking
 * the candidate for the links most messages carry. The caller still rules out dot segments.
 */
export function plainAt(text: string, start: number): number {
  LOWER_HEAD.lastIndex = start;
  if (!LOWER_HEAD.test(text)) return -1;
  const hostEnd = LOWER_HEAD.lastIndex;
  const tld = text.charCodeAt(text.lastIndexOf('.', hostEnd - 1) + 1);
  if (tld < 0x61 || tld > 0x7a || text.slice(start, hostEnd).includes('xn--')) return -1;
  const end = restEnd(text, hostEnd);
  const spoiler = text.charCodeAt(end) === 0x7c && text.charCodeAt(end + 1) === 0x7c;
  if (end < text.length && !spoiler && (classAt(text, end) & URL_STOP) === 0) return -1;
  if (!keptAtEnd(text, hostEnd, end)) return -1;
  lastHostEnd = hostEnd;
  return end;
}

/**
 * True when trimEnd would keep the last character of [.., end): letters, digits and / - = & + $
 * @ #, or a ')' closing a '(' of the path (Wikipedia links). '_' may be markdown, so it is not.
 */
function keptAtEnd(text: string, from: number, end: number): boolean {
  const last = text.charCodeAt(end - 1);
  if (isAlnum(last) || last === 0x2f || last === 0x2d || last === 0x3d || last === 0x26 || last === 0x2b || last === 0x24 || last === 0x40 || last === 0x23) return true;
  if (last !== 0x29) return false;
  let depth = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28) depth++;
    else if (c === 0x29) depth--;
  }
  return depth >= 0;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

/** The query of `url` after `from` (where the path starts) as URL.search spells it. */
function searchOf(url: string, from: number): string {
  const q = url.indexOf('?', from);
  if (q < 0) return '';
  const hash = url.indexOf('#', from);
  if (hash >= 0 && hash < q) return '';
  const end = hash < 0 ? url.length : hash;
  return end - q <= 1 ? '' : url.slice(q, end);
}
