import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUrl, collectionOf, hashKind, kindOfType, permalink, urlId, urlPermalink, urlSha256 } from '../../src/vt/ids.js';

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
