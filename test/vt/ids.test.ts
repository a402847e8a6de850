import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answersAsked, canonicalUrl, collectionOf, hashKind, kindOfType, permalink, urlId, urlPermalink, urlSha256 } from '../../src/vt/ids.js';
import type { Facts, Report } from '../../src/vt/report.js';

describe('hashKind', () => {
  it.each([
    ['44d88612fea8a8f36de82e1278abb02f', 'md5'],
    ['3395856CE81F2B7382DEE72602F798B642F14140', 'sha1'],
    ['275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', 'sha256'],
    ['44d88612fea8a8f36de82e1278abb02', null],
    ['zzd88612fea8a8f36de82e1278abb02f', null],
    ['', null],
  ] as const)('%s is %s', (value, kind) => {
    expect(hashKind(value)).toBe(kind);
  });
});

describe('URL ids', () => {
  it('matches the unpadded base64url id of VirusTotal\'s documentation and vt-py', () => {
    expect(urlId('http://www.virustotal.com')).toBe('aHR0cDovL3d3dy52aXJ1c3RvdGFsLmNvbQ');
  });

  it('never pads and always decodes back to the URL', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (path) => {
      const url = `https://example.com/${path}`;
      const id = urlId(url);
      expect(id).not.toMatch(/[=+/]/);
      expect(Buffer.from(id, 'base64url').toString('utf8')).toBe(url);
    }), { numRuns: 200 });
  });

  it('canonicalises as VirusTotal stores URLs: scheme and host lower-cased, a bare host gets "/", no scheme means http', () => {
    expect(canonicalUrl('HTTP://Example.COM')).toBe('http://example.com/');
    expect(canonicalUrl('example.com/a?b=1')).toBe('http://example.com/a?b=1');
    expect(canonicalUrl('https://example.com:443/x')).toBe('https://example.com/x');
    expect(urlSha256('http://Example.com')).toBe(urlSha256('http://example.com/'));
    expect(urlSha256('http://example.com/')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('permalinks', () => {
  it('points at VirusTotal\'s own pages', () => {
    expect(permalink('file', 'abc')).toBe('https://www.virustotal.com/gui/file/abc');
    expect(permalink('domain', 'example.com')).toBe('https://www.virustotal.com/gui/domain/example.com');
    expect(permalink('ip', '192.0.2.1')).toBe('https://www.virustotal.com/gui/ip-address/192.0.2.1');
    expect(permalink('ip', '2001:db8::1')).toBe('https://www.virustotal.com/gui/ip-address/2001%3Adb8%3A%3A1');
    expect(urlPermalink('http://example.com')).toBe(`https://www.virustotal.com/gui/url/${urlSha256('http://example.com/')}`);
  });

  it('maps kinds to collections and types back to kinds', () => {
    expect(['file', 'url', 'domain', 'ip'].map((k) => collectionOf(k as 'file'))).toEqual(['files', 'urls', 'domains', 'ip_addresses']);
    expect(kindOfType('ip_address')).toBe('ip');
    expect(kindOfType('analysis')).toBeNull();
  });
});

describe('answersAsked', () => {
  const report = (facts: Facts, id: string): Report => ({
    kind: facts.kind, id, facts, stats: { malicious: 0, suspicious: 0, undetected: 1, harmless: 0, timeout: 0 }, engines: [],
    permalink: '', lastAnalysisAt: null, reputation: 0, votes: { harmless: 0, malicious: 0 },
  });
  const sha256 = 'a'.repeat(64);
  const file = report({ kind: 'file', sha256, md5: 'b'.repeat(32), sha1: 'c'.repeat(40), names: [] }, sha256);

  it('matches a file by any of its hashes, in any case', () => {
    expect(['A'.repeat(64), 'b'.repeat(32), 'C'.repeat(40)].map((id) => answersAsked(file, { kind: 'file', id }))).toEqual([true, true, true]);
    expect(answersAsked(file, { kind: 'file', id: 'b'.repeat(40) })).toBe(false);
    expect(answersAsked(file, { kind: 'url', id: sha256 })).toBe(false);
  });

  it('matches a URL by its id or its canonical form, and nothing else', () => {
    const url = 'http://Example.com';
    const byId = report({ kind: 'url', url: 'http://example.com/', categories: [] }, urlSha256(url));
    expect(answersAsked(byId, { kind: 'url', id: url })).toBe(true);
    expect(answersAsked(byId, { kind: 'url', id: urlSha256(url) })).toBe(true);
    // VirusTotal's id may differ from our canonical form; the URL it names still matches.
    const otherId = report({ kind: 'url', url: 'http://example.com/', categories: [] }, 'f'.repeat(64));
    expect(answersAsked(otherId, { kind: 'url', id: url })).toBe(true);
    expect(answersAsked(byId, { kind: 'url', id: 'http://example.org/' })).toBe(false);
    expect(answersAsked(byId, { kind: 'url', id: 'not a url' })).toBe(false);
  });

  it('matches domains and IPs case-insensitively', () => {
    expect(answersAsked(report({ kind: 'domain', domain: 'example.org', categories: [] }, 'example.org'), { kind: 'domain', id: 'EXAMPLE.org.' })).toBe(true);
    expect(answersAsked(report({ kind: 'domain', domain: 'evil.org', categories: [] }, 'evil.org'), { kind: 'domain', id: 'example.org' })).toBe(false);
    expect(answersAsked(report({ kind: 'ip', ip: '2001:db8::1' }, '2001:DB8::1'), { kind: 'ip', id: '2001:db8::1' })).toBe(true);
    expect(answersAsked(report({ kind: 'ip', ip: '192.0.2.1' }, '192.0.2.1'), { kind: 'ip', id: '192.0.2.10' })).toBe(false);
    expect(answersAsked(report({ kind: 'domain', domain: 'xn--bcher-kva.example', categories: [] }, 'xn--bcher-kva.example'), { kind: 'domain', id: 'BÜCHER.example' })).toBe(true);
    expect(answersAsked(report({ kind: 'ip', ip: '2001:db8::1' }, '2001:0db8:0:0::1'), { kind: 'ip', id: '2001:db8::1' })).toBe(true);
    expect(answersAsked(report({ kind: 'ip', ip: '2001:db8::1' }, '2001:db8::2'), { kind: 'ip', id: '2001:db8::1' })).toBe(false);
  });
});
