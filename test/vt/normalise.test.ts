import { describe, expect, it } from 'vitest';
import { reportFromV3, statsFrom } from '../../src/vt/normalise.js';
import type { Parsed } from '../../src/vt/parse.js';
import { reportFromV2 } from '../../src/vt/v2-report.js';
import { behaviourFrom, commentFrom, voteFrom } from '../../src/vt/v3-objects.js';

const ZERO = { malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0 };
const STATS = { malicious: 5, suspicious: 0, undetected: 60, harmless: 2, timeout: 0 };
const FILE = { id: 'a'.repeat(64), type: 'file', attributes: { md5: 'b'.repeat(32), sha1: 'c'.repeat(40), last_analysis_stats: STATS } };

/** The report, or a failure of the test naming what the parser missed. */
function ok<T>(result: Parsed<T>): T {
  if (!result.ok) throw new Error(`expected a report, the parser missed ${result.expected}`);
  return result.value;
}

describe('reportFromV3', () => {
  it('rejects what is not a VirusTotal object', () => {
    for (const data of [undefined, null, 'x', [], {}, { id: 'x' }, { id: 'x', type: 'analysis' }, { id: '', type: 'file' }]) {
      expect(reportFromV3(data, null)).toEqual({ ok: false, expected: 'a VirusTotal object (id and type)' });
    }
  });

  it('fills missing descriptive fields with defaults; no stats at all means never analysed (all zero)', () => {
    expect(ok(reportFromV3({ id: 'example.org', type: 'domain' }, { kind: 'domain', id: 'Example.ORG.' }))).toEqual({
      kind: 'domain', id: 'example.org', stats: ZERO, engines: [],
      permalink: 'https://www.virustotal.com/gui/domain/example.org', lastAnalysisAt: null, reputation: 0,
      votes: { harmless: 0, malicious: 0 }, facts: { kind: 'domain', domain: 'example.org', categories: [] },
    });
  });

  it('ignores descriptive fields of the wrong type', () => {
    const report = ok(reportFromV3({
      id: 'abc', type: 'file',
      attributes: { sha256: 42, names: ['a', 3], size: 'big', last_analysis_stats: { malicious: 0, suspicious: 0, undetected: 1, harmless: 2 }, last_analysis_results: { X: 'odd', Y: { category: 'malicious', result: 7 } }, last_analysis_date: 1_700_000_000 },
    }, null));
    expect(report.facts).toEqual({ kind: 'file', sha256: 'abc', names: ['a'] });
    expect(report.stats).toEqual({ ...ZERO, undetected: 1, harmless: 2 });
    expect(report.engines).toEqual([{ engine: 'X', category: 'unknown', result: null }, { engine: 'Y', category: 'malicious', result: null }]);
    expect(report.lastAnalysisAt).toBe('2023-11-14T22:13:20.000Z');
  });

  it.each([
    ['a string', { ...STATS, malicious: '60' }, 'malicious'],
    ['negative', { ...STATS, harmless: -1 }, 'harmless'],
    ['fractional', { ...STATS, undetected: 1.5 }, 'undetected'],
    ['missing', { malicious: 5, undetected: 60, harmless: 2 }, 'suspicious'],
    ['null', { ...STATS, timeout: null }, 'timeout'],
  ])('calls an answer malformed when a counter is %s, instead of counting it as 0', (_, stats, key) => {
    expect(reportFromV3({ ...FILE, attributes: { ...FILE.attributes, last_analysis_stats: stats } }, null))
      .toEqual({ ok: false, expected: `last_analysis_stats.${key} as a non-negative integer` });
    expect(statsFrom(stats).ok).toBe(false);
  });

  it('accepts stats without timeout, and rejects stats that are not an object', () => {
    expect(statsFrom({ malicious: 1, suspicious: 0, undetected: 3, harmless: 4 })).toEqual({ ok: true, value: { malicious: 1, suspicious: 0, undetected: 3, harmless: 4, timeout: 0 } });
    expect(statsFrom([1, 2])).toEqual({ ok: false, expected: 'last_analysis_stats as an object' });
  });

  it('matches a file by any of its hashes, and calls an answer about another object malformed', () => {
    for (const id of ['A'.repeat(64), 'b'.repeat(32), 'C'.repeat(40)]) expect(reportFromV3(FILE, { kind: 'file', id }).ok).toBe(true);
    expect(reportFromV3(FILE, { kind: 'file', id: 'd'.repeat(64) })).toEqual({ ok: false, expected: `the file asked for (it described file ${'a'.repeat(64)})` });
    expect(reportFromV3({ id: 'evil.example', type: 'domain' }, { kind: 'domain', id: 'example.org' }).ok).toBe(false);
    expect(reportFromV3({ id: '198.51.100.7', type: 'ip_address' }, { kind: 'domain', id: '198.51.100.7' }).ok).toBe(false);
  });
});

describe('reportFromV2', () => {
  it('counts URL engine words into categories', () => {
    const report = ok(reportFromV2('url', {
      response_code: 1, url: 'http://x.example/', scan_date: '2026-11-25 10:00:00', positives: 2,
      scans: { A: { detected: true, result: 'malware site' }, B: { detected: true, result: 'suspicious site' }, C: { detected: false, result: 'clean site' }, D: { detected: false, result: 'unrated site' } },
    }, 'http://x.example/'));
    expect(report.stats).toEqual({ malicious: 1, suspicious: 1, harmless: 1, undetected: 1, timeout: 0 });
    expect(report.lastAnalysisAt).toBe('2026-11-25T10:00:00.000Z');
  });

  it('needs a sha256 for a file', () => {
    expect(reportFromV2('file', { response_code: 1, scans: {} }, 'abc')).toEqual({ ok: false, expected: 'a sha256' });
  });

  it('calls a scan whose detected is not a boolean, or a positives count that disagrees, malformed', () => {
    const body = { response_code: 1, sha256: 'a'.repeat(64), scans: { A: { detected: 'true' } } };
    expect(reportFromV2('file', body, 'a'.repeat(64))).toEqual({ ok: false, expected: 'scans.A.detected as a boolean' });
    expect(reportFromV2('file', { ...body, scans: { A: { detected: true } }, positives: '1' }, 'a'.repeat(64)).ok).toBe(false);
    expect(reportFromV2('file', { ...body, scans: { A: { detected: true } }, positives: 0 }, 'a'.repeat(64)).ok).toBe(false);
    expect(reportFromV2('file', { ...body, scans: { A: { detected: true } }, positives: 1 }, 'a'.repeat(64)).ok).toBe(true);
  });

  it('calls a report about another file or URL malformed', () => {
    expect(reportFromV2('file', { response_code: 1, sha256: 'a'.repeat(64), md5: 'b'.repeat(32), scans: {} }, 'B'.repeat(32)).ok).toBe(true);
    expect(reportFromV2('file', { response_code: 1, sha256: 'a'.repeat(64), scans: {} }, 'e'.repeat(64)).ok).toBe(false);
    expect(reportFromV2('url', { response_code: 1, url: 'http://other.example/', scans: {} }, 'http://x.example').ok).toBe(false);
    expect(reportFromV2('url', { response_code: 1, url: 'http://x.example/', scans: {} }, 'HTTP://X.example').ok).toBe(true);
  });

  it('rates a domain by its most-flagged URL and says so; none flagged stays unknown', () => {
    const detected = [
      { url: 'http://bad.example/a', positives: 3, total: 70, scan_date: '2026-11-20 08:00:00' },
      { url: 'http://bad.example/b', positives: 12, total: 70, scan_date: '2026-11-24 09:30:00' },
      { url: 'http://bad.example/c', positives: 0, total: 70, scan_date: '2026-11-24 09:30:00' },
    ];
    const report = ok(reportFromV2('domain', { response_code: 1, detected_urls: detected }, 'bad.example'));
    expect(report.stats).toEqual({ malicious: 12, suspicious: 0, undetected: 58, harmless: 0, timeout: 0 });
    expect(report.basis).toEqual({ source: 'flagged-urls', urls: 2, worst: { positives: 12, total: 70 } });
    expect(report.lastAnalysisAt).toBe('2026-11-24T09:30:00.000Z');
    const none = ok(reportFromV2('ip', { response_code: 1, detected_urls: [] }, '192.0.2.1'));
    expect(none.stats).toEqual(ZERO);
    expect(none.basis).toEqual({ source: 'flagged-urls', urls: 0, worst: null });
  });

  it.each([
    ['positives as text', [{ url: 'u', positives: '12', total: 70 }]],
    ['more positives than engines', [{ url: 'u', positives: 71, total: 70 }]],
    ['not a list', { url: 'u', positives: 1, total: 70 }],
  ])('calls detected_urls with %s malformed', (_, detected) => {
    expect(reportFromV2('domain', { response_code: 1, detected_urls: detected }, 'bad.example').ok).toBe(false);
  });
});

describe('v3 comments, votes, behaviour', () => {
  it('parses what is there and skips what is not', () => {
    expect(commentFrom({ id: 'c1', attributes: { text: 'hi', date: 0 } })).toEqual({ id: 'c1', text: 'hi', date: '1970-01-01T00:00:00.000Z' });
    expect(voteFrom({ id: 'v', attributes: { verdict: 'maybe' } })).toBeNull();
    expect(behaviourFrom(undefined)).toEqual({ tags: [], processesCreated: [], filesWritten: [], dnsLookups: [], ipTraffic: [], mitreTechniques: [], verdicts: [] });
  });
});
