/**
 * Public IP addresses: the rule that decides whether an address is worth a VirusTotal lookup.
 * Public API of the extractor (also used outside it, e.g. to validate an address a member types):
 * import `isPublicV4` and `publicV6` from here.
 */
import { createRequire } from 'node:module';
import type * as IpAddr from 'ipaddr.js';

// ipaddr.js is CommonJS with `export =`; without esModuleInterop TypeScript refuses its default
// import and Node exposes no named ones, so load it the CommonJS way (same as a static import).
const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof IpAddr;

/**
 * Every IPv4 range that ipaddr.js's public `range()` calls something other than 'unicast'
 * (unspecified, broadcast, multicast, link-local, loopback, CGNAT, RFC 1918, reserved and
 * documentation nets, AS112, AMT), as [network, prefix length]. Written out rather than asking
 * `IPv4.parse(ip).range()` per address: integer matching is ~20x faster, which matters for
 * messages packed with addresses. test/scan/extract.public-ip.test.ts checks every range's edges and
 * random addresses against `range()`, so an ipaddr.js upgrade that moves a range fails a test.
 */
const NON_PUBLIC_V4: readonly (readonly [number, number])[] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.31.196.0', 24], ['192.52.193.0', 24],
  ['192.88.99.0', 24], ['192.168.0.0', 16], ['192.175.48.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4], ['255.255.255.255', 32],
].map(([net, bits]) => [parseDottedQuad(net as string), bits as number] as const);

/**
 * True for a strict dotted-decimal IPv4 (four octets 0-255, no leading zeros) outside every
 * non-public range: what ipaddr.js calls 'unicast' (drops private, CGNAT, documentation, ...).
 */
export function isPublicV4(dotted: string): boolean {
  const ip = parseDottedQuad(dotted);
  if (ip < 0) return false;
  // A plain loop, not .some() with a destructuring callback: that was a fifth of an IP link's cost.
  for (const range of NON_PUBLIC_V4) {
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

/**
 * Canonical text of a public IPv6 address (inside global unicast 2000::/3 and 'unicast' to
 * ipaddr.js's `range()`), or undefined for anything else, invalid text included.
 */
export function publicV6(text: string): string | undefined {
  if (!ipaddr.IPv6.isValid(text)) return undefined;
  const addr = ipaddr.IPv6.parse(text);
  const first = addr.parts[0] ?? 0;
  if (first < 0x2000 || first > 0x3fff || addr.range() !== 'unicast') return undefined;
  return addr.toString();
}
