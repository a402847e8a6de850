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
// scheme :// host. The host is 2+ labels of [a-z0-9-], no label starting "xn--" (punycode is
// validated by the parser), and a last label starting with a letter, so WHATWG never reads it
// as an IPv4 number. Sticky, so lastIndex ends up at the end of the host.
const HEAD = /https?:\/\/(?!xn--)[a-z0-9-]+(?:\.(?!xn--)[a-z0-9-]+)*\.(?!xn--)[a-z][a-z0-9-]*/iy;
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
export function restEnd(text: string, from: number): number {
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

/** The query of `url` after `from` (where the path starts) as URL.search spells it. */
function searchOf(url: string, from: number): string {
  const q = url.indexOf('?', from);
  if (q < 0) return '';
  const hash = url.indexOf('#', from);
  if (hash >= 0 && hash < q) return '';
  const end = hash < 0 ? url.length : hash;
  return end - q <= 1 ? '' : url.slice(q, end);
}
