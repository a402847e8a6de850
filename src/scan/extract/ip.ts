/** IP addresses written in free text (URL hosts are handled by the URL parser). */
import { isAsciiAlnum } from './chars.js';
import { isPublicV4, publicV6 } from './host.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// Bounded alternatives only, so the regex is linear. Not before a letter/digit, '.'+digit
// (versions like 1.2.3.4.5) or '/'+digit (CIDR ranges). "Not after a letter, digit or '.'" is
// checked in code: a leading lookbehind stops V8 from skipping quickly to the next digit, and no
// valid address can start inside a rejected match (every position there follows a digit or '.').
const IPV4 = new RegExp(`${OCTET}(?:\\.${OCTET}){3}(?![0-9A-Za-z]|\\.\\d|/\\d)`, 'g');

/** Public dotted-quad IPv4 addresses in `text`. */
export function textIPv4(text: string, add: (ip: string, pos: number) => void): void {
  if (text.indexOf('.') < 0) return;
  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) {
    const before = m.index > 0 ? text.charCodeAt(m.index - 1) : 0x20;
    if (before !== 0x2e && !isAsciiAlnum(before) && isPublicV4(m[0])) add(m[0], m.index);
  }
}

function isV6Char(c: number): boolean {
  return c === 0x3a || (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/**
 * Public IPv6 addresses in `text`: maximal runs of hex digits and ':' (plus a dotted IPv4 tail)
 * around each ':', with no ASCII letter or digit on either side.
 */
export function textIPv6(text: string, add: (ip: string) => void): void {
  let floor = 0;
  let colon = text.indexOf(':');
  while (colon >= 0) {
    let s = colon;
    while (s > floor && isV6Char(text.charCodeAt(s - 1))) s--;
    let e = colon + 1;
    while (e < text.length && (isV6Char(text.charCodeAt(e)) || text.charCodeAt(e) === 0x2e)) e++;
    floor = e;
    colon = text.indexOf(':', e);
    const candidate = trimV6(text.slice(s, e));
    if (candidate.length < 3 || candidate.length > 45) continue;
    if ((s > 0 && isAsciiAlnum(text.charCodeAt(s - 1))) || isAsciiAlnum(text.charCodeAt(e))) continue;
    if (!/^[0-9a-f:]+(?:\d+\.\d+\.\d+\.\d+)?$/i.test(candidate) || !/::|(?::[^:]*){7}/.test(candidate)) continue;
    const ip = publicV6(candidate);
    if (ip !== undefined) add(ip);
  }
}

/** Drops sentence punctuation a run may have swallowed: trailing '.'s and one trailing ':'. */
function trimV6(run: string): string {
  let r = run.replace(/\.+$/, '');
  if (r.endsWith(':') && !r.endsWith('::')) r = r.slice(0, -1);
  return r;
}
