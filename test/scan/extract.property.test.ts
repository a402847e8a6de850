/**
 * Property tests: random and adversarial input up to 4,000 characters never throws, and whatever
 * comes out obeys docs/extraction.md (valid, normalised, public, de-duplicated).
 */
import { domainToASCII } from 'node:url';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import type * as IpAddr from 'ipaddr.js';
import { parse as parseDomain } from 'tldts';
import { describe, expect, it } from 'vitest';
import { extractIndicators, mayHaveIndicator } from '../../src/scan/extract.js';
import type { Indicators } from '../../src/scan/extract/indicators.js';
import { runStages } from '../../src/scan/extract/pipeline.js';
import { plainIPv4Url, plainUrl } from '../../src/scan/extract/plain-url.js';

// ipaddr.js is CommonJS `export =`: no default import without esModuleInterop (as in src).
const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof IpAddr;

const RUNS = { numRuns: 300 };

// Pieces that URL extractors choke on, glued together at random.
const PIECES = [
  '.', '..', '-', '_', 'http://', 'https://', 'hxxps[:]//', '[.]', '(dot)', '\\.', 'a.', 'a', 'Z9', 'com', 'xn--', '.zip',
  '[', ']', '(', ')', '{', '}', '<', '>', ':', '::', '/', '?q=', '&u=https%3A%2F%2F', '#', '@', '%', '`', '```', '||', '*', '~',
  ' ', '\n', '\u00A0', '\u200B', '\u200D', '\u202E', 'é', '\u0301', 'ж', '例', '。', '😂', '🇺🇸', '0x', '1', '255', '10.', '8.8.',
  'ff', 'deadbeef', '2606:4700', 'discord.gg/', 'cdn.discordapp.com/', '](', '"', "'", '\\', 'ａ',
];
const adversarial = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 1200 })
  .map((parts) => parts.join('').slice(0, 4000));
const anyText = fc.string({ unit: 'binary', maxLength: 4000 });
const input = fc.oneof(adversarial, anyText, fc.string({ unit: fc.constantFrom(...'ab.:/[]()-_@1f '), maxLength: 4000 }));

function isPublicIp(ip: string): boolean {
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv4') return addr.range() === 'unicast';
  const first = (addr as IpAddr.IPv6).parts[0] ?? 0;
  return first >= 0x2000 && first <= 0x3fff && addr.range() === 'unicast';
}

function isFirstPartyOrCdn(host: string): boolean {
  return /(?:^|\.)(?:discord\.com|discord\.gg|discord\.gift|discordapp\.com|discordapp\.net)$/.test(host);
}

function assertRules(out: Indicators): void {
  for (const list of [out.urls, out.domains, out.ips, out.hashes]) expect(new Set(list).size).toBe(list.length);
  for (const url of out.urls) {
    const parsed = new URL(url);
    expect(parsed.href).toBe(url);
    expect(['http:', 'https:']).toContain(parsed.protocol);
    const host = parsed.hostname.replace(/\.$/, '');
    if (!host.startsWith('[') && !/^[\d.]+$/.test(host)) {
      expect(host === 'cdn.discordapp.com' || !/(?:^|\.)(?:discord\.com|discord\.gg|discord\.gift|discordapp\.com)$/.test(host)).toBe(true);
    }
  }
  for (const domain of out.domains) {
    expect(domain).toMatch(/^[a-z0-9-]+(?:\.[a-z0-9_-]+)+$/);
    expect(domainToASCII(domain)).toBe(domain);
    const info = parseDomain(domain, { allowPrivateDomains: false });
    expect(info.isIcann && info.domain !== null).toBe(true);
    expect(isFirstPartyOrCdn(domain)).toBe(false);
  }
  for (const ip of out.ips) {
    expect(isPublicIp(ip)).toBe(true);
    expect(ipaddr.parse(ip).toString()).toBe(ip);
  }
  for (const hash of out.hashes) expect(hash).toMatch(/^(?=.*\d)(?=.*[a-f])(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/);
}

describe('extractIndicators properties', () => {
  it('never throws and always obeys the output rules', () => {
    fc.assert(
      fc.property(input, (text) => {
        assertRules(extractIndicators(text));
      }),
      RUNS,
    );
  });

  it('the fast path only skips messages the full pipeline finds nothing in', () => {
    fc.assert(
      fc.property(input, (text) => {
        if (mayHaveIndicator(text)) return;
        let found = 0;
        const count = (): void => {
          found++;
        };
        runStages(text, { url: count, domain: count, ip: count, hash: count, named: () => undefined, masked: () => undefined });
        expect(found).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('the fast path and its hex shortcut change no result', () => {
    fc.assert(
      fc.property(input, (text) => {
        const all = { url: new Set<string>(), domain: new Set<string>(), ip: new Set<string>(), hash: new Set<string>() };
        runStages(text, {
          url: (v) => all.url.add(v),
          domain: (v) => all.domain.add(v),
          ip: (v) => all.ip.add(v),
          hash: (v) => all.hash.add(v),
          named: () => undefined,
          masked: () => undefined,
        });
        const got = extractIndicators(text);
        expect([got.urls, got.domains, got.ips, got.hashes].map((l) => [...l].sort())).toEqual(
          [all.url, all.domain, all.ip, all.hash].map((l) => [...l].sort()),
        );
      }),
      RUNS,
    );
  });

  // src/scan/extract/plain-url.ts writes the href of "obviously plain" URLs without the WHATWG
  // parser; whatever it accepts must serialise exactly as new URL() does (href, host name and
  // search alike).
  it('the parser-free URL path agrees with the WHATWG parser', () => {
    // Mostly ordinary labels (so most candidates take the plain path), some that must not.
    const odd = fc.constantFrom('xn--', 'XN--p1ai', '0x1f', '1', '255', '-', '', 'ß', '_');
    const hostPart = fc.oneof({ arbitrary: fc.constantFrom('a', 'Z9', 'b-c', 'x1'), weight: 6 }, { arbitrary: odd, weight: 1 });
    const host = fc.array(hostPart, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
    const restPart = fc.oneof(
      { arbitrary: fc.constantFrom('/', '?', '#', '&', '=', 'a', 'B', '9', '-', '_', '~', '!', '$', '(', ')', '*', '+', ',', ';', ':', '@', 'q=https://x.com/'), weight: 8 },
      { arbitrary: fc.constantFrom('%', '%2e', '.', '..', './', '../', '/.', '/..', "'", '[', ']', '|', '^', '`', '{', '}', '\\', '"', '<', '>', ' ', 'é', '\u007F', '\u0001'), weight: 1 },
    );
    const scheme = fc.constantFrom('https://', 'http://', 'HTTP://', 'hTTps://', 'https:///', 'ftp://');
    const candidate = fc.tuple(scheme, host, fc.constantFrom('', '.', '.com', '.co.uk', '.COM'), fc.array(restPart, { maxLength: 10 }));
    fc.assert(
      fc.property(candidate, ([s, h, t, rest]) => {
        const text = `${s}${h}${t}${rest.join('')}`;
        const plain = plainUrl(text);
        if (plain === undefined) return;
        const parsed = new URL(text);
        expect([plain.href, plain.host, plain.search]).toEqual([parsed.href, parsed.hostname, parsed.search]);
      }),
      { numRuns: 3000 },
    );
  });

  it('serialises an IPv4-host link exactly as the WHATWG parser does, whenever it takes one', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('256', '300', '01', '00', '0x1f', '999'));
    const port = fc.constantFrom('', ':80', ':443', ':8080', ':0', ':1', ':65535', ':65536', ':99999', ':08080', ':');
    const rest = fc.array(fc.constantFrom('/', '?', '#', 'a', '=', '&', '.', '..', '/.', '%', ' ', '\\', '@x.com', 'q=https://x.com/'), { maxLength: 6 });
    const scheme = fc.constantFrom('http://', 'https://', 'HTTP://', 'hTtPs://');
    fc.assert(
      fc.property(scheme, fc.array(octet, { minLength: 3, maxLength: 5 }), port, rest, (s, octets, p, r) => {
        const text = `${s}${octets.join('.')}${p}${r.join('')}`;
        const plain = plainIPv4Url(text);
        if (plain === undefined) return;
        const parsed = new URL(text);
        expect([plain.href, plain.host, plain.search]).toEqual([parsed.href, parsed.hostname, parsed.search]);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds exactly the hash-length hex runs among runs of any length', () => {
    const hexChar = fc.constantFrom(...'0123456789abcdefABCDEF');
    // Mostly hash lengths and their neighbours, some anything.
    const len = fc.oneof(fc.constantFrom(31, 32, 33, 39, 40, 41, 63, 64, 65), fc.integer({ min: 1, max: 70 }));
    const run = len.chain((n) => fc.array(hexChar, { minLength: n, maxLength: n }).map((cs) => cs.join('')));
    const sep = fc.constantFrom(' ', '.', 'x', '_', '-', 'g', ':', 'é', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(sep, run), { minLength: 1, maxLength: 5 }), (parts) => {
        const text = parts.map(([a, b]) => a + b).join('');
        const expected = new Set<string>();
        for (const m of text.matchAll(/[0-9a-f]+/gi)) {
          const h = m[0];
          const before = text.charCodeAt(m.index - 1);
          const after = text.charCodeAt(m.index + h.length);
          const alnum = (c: number): boolean => /[0-9a-z]/i.test(String.fromCharCode(c));
          if ([32, 40, 64].includes(h.length) && /\d/.test(h) && /[a-f]/i.test(h) && !alnum(before) && !alnum(after)) expected.add(h.toLowerCase());
        }
        expect(new Set(extractIndicators(text).hashes)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
  const tld = fc.constantFrom('com', 'net', 'org', 'io', 'co.uk', 'de', 'ru', 'xyz', 'dev');
  const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld).map(([ls, t]) => `${ls.join('.')}.${t}`);
  const gap = fc.constantFrom(' ', '\n', ', ', ' (', ') ', '**', '||', ' > ');

  it('finds every generated domain between separators', () => {
    fc.assert(
      fc.property(domain, gap, gap, (name, before, after) => {
        fc.pre(!isFirstPartyOrCdn(name));
        expect(extractIndicators(`x${before}${name}${after}y`).domains).toContain(name);
      }),
      RUNS,
    );
  });

  it('finds every generated URL and its host', () => {
    const path = fc.stringMatching(/^(?:\/[a-z0-9]{1,8}){0,3}$/);
    fc.assert(
      fc.property(domain, path, gap, (name, p, after) => {
        fc.pre(!isFirstPartyOrCdn(name));
        const out = extractIndicators(`see https://${name}${p}${after} ok`);
        expect(out.urls).toContain(new URL(`https://${name}${p}`).href);
        expect(out.domains).toContain(name);
      }),
      RUNS,
    );
  });

  it('reports a dotted quad exactly when it is public', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        const ip = `${a}.${b}.${c}.${d}`;
        expect(extractIndicators(`ip ${ip} here`).ips).toEqual(isPublicIp(ip) ? [ip] : []);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with ipaddr.js range() at every edge of its special IPv4 ranges', () => {
    const table = (ipaddr.IPv4.prototype as unknown as { SpecialRanges: Record<string, [IpAddr.IPv4, number][]> }).SpecialRanges;
    const toInt = (o: number[]): number => (((o[0] ?? 0) << 24) | ((o[1] ?? 0) << 16) | ((o[2] ?? 0) << 8) | (o[3] ?? 0)) >>> 0;
    const toText = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    for (const [net, bits] of Object.values(table).flat()) {
      const first = toInt(net.octets);
      const last = (first + 2 ** (32 - bits) - 1) >>> 0;
      for (const n of [first - 1, first, last, last + 1].filter((x) => x >= 0 && x <= 0xffffffff)) {
        const ip = toText(n);
        expect(extractIndicators(`ip ${ip} here`).ips).toEqual(isPublicIp(ip) ? [ip] : []);
      }
    }
  });

  it('reports hex runs of hash length with a digit and a letter, lower-cased', () => {
    const hex = fc.constantFrom(32, 40, 64).chain((n) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${n}}$`)));
    fc.assert(
      fc.property(hex, (h) => {
        const ok = /\d/.test(h) && /[a-f]/i.test(h);
        expect(extractIndicators(`hash: ${h}.`).hashes).toEqual(ok ? [h.toLowerCase()] : []);
      }),
      RUNS,
    );
  });
});
