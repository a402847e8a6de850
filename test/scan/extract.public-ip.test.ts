/**
 * src/scan/extract/public-ip.ts writes out its own table of non-public IPv4 ranges; "public" must
 * still mean exactly what ipaddr.js's public `range()` calls 'unicast'. These tests compare the
 * two at the edges of every /16, of every /24 in the blocks that hold small special ranges, and
 * at random addresses, so an ipaddr.js release that adds or moves a range fails here.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import type * as IpAddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { isPublicV4, publicV6 } from '../../src/scan/extract/public-ip.js';

const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof IpAddr;

function dotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function unicast(ip: string): boolean {
  return ipaddr.IPv4.parse(ip).range() === 'unicast';
}

/** Addresses where isPublicV4 and range() disagree, among the first and last of each block. */
function disagreements(from: number, blocks: number, blockBits: number): string[] {
  const wrong: string[] = [];
  for (let b = 0; b < blocks; b++) {
    const first = (from + b * 2 ** blockBits) >>> 0;
    for (const n of [first, first + 2 ** blockBits - 1]) {
      const ip = dotted(n);
      if (isPublicV4(ip) !== unicast(ip)) wrong.push(ip);
    }
  }
  return wrong;
}

describe('isPublicV4 agrees with ipaddr.js range()', () => {
  it('at the first and last address of every /16', () => {
    expect(disagreements(0, 2 ** 16, 16)).toEqual([]);
  });

  it('at the first and last address of every /24 in 100/8, 192/8, 198/8 and 203/8', () => {
    for (const top of [100, 192, 198, 203]) expect(disagreements(top * 2 ** 24, 2 ** 16, 8)).toEqual([]);
  });

  it('at random addresses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        const ip = dotted(n);
        expect(isPublicV4(ip)).toBe(unicast(ip));
      }),
      { numRuns: 5000 },
    );
  });

  it('drops the documentation, private and broadcast examples a reader would try', () => {
    for (const ip of ['192.0.2.1', '198.51.100.7', '203.0.113.9', '10.1.2.3', '172.31.255.255', '100.64.0.1', '255.255.255.255', '0.1.2.3', '224.0.0.1']) {
      expect(isPublicV4(ip), ip).toBe(false);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '198.20.0.1']) expect(isPublicV4(ip), ip).toBe(true);
  });

  it('accepts only strict dotted decimal', () => {
    for (const ip of ['8.8.8', '8.8.8.8.8', '08.8.8.8', '8.8.8.256', '8.8.8.', '0x8.8.8.8', ' 8.8.8.8']) expect(isPublicV4(ip), ip).toBe(false);
  });
});

describe('publicV6', () => {
  it('returns the canonical text of global unicast addresses only', () => {
    expect(publicV6('2606:4700:4700:0:0:0:0:1111')).toBe('2606:4700:4700::1111');
    for (const ip of ['::1', 'fe80::1', 'fc00::1', '2001:db8::1', 'ff02::1', 'not an ip']) expect(publicV6(ip), ip).toBeUndefined();
  });
});
