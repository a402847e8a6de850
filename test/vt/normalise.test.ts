import { describe, expect, it } from 'vitest';
import { reportFromV3 } from '../../src/vt/normalise.js';
import { reportFromV2 } from '../../src/vt/v2-report.js';
import { behaviourFrom, commentFrom, voteFrom } from '../../src/vt/v3-objects.js';

describe('reportFromV3', () => {
  it('rejects what is not a VirusTotal object', () => {
    for (const data of [undefined, null, 'x', [], {}, { id: 'x' }, { id: 'x', type: 'analysis' }, { id: '', type: 'file' }]) {
      expect(reportFromV3(data)).toBeNull();
    }
  });

  it('fills missing fields with defaults instead of failing', () => {
    const report = reportFromV3({ id: 'example.org', type: 'domain' });
    expect(report).toEqual({
      kind: 'domain', id: 'example.org', stats: { malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0 }, engines: [],
      permalink: 'https://www.virustotal.com/gui/domain/example.org', lastAnalysisAt: null, reputation: 0,
      votes: { harmless: 0, malicious: 0 }, facts: { kind: 'domain', domain: 'example.org', categories: [] },
    });
  });

  it('ignores fields of the wrong type', () => {
    const report = reportFromV3({
      id: 'abc', type: 'file',
      attributes: { sha256: 42, names: ['a', 3], size: 'big', last_analysis_stats: { malicious: '5', harmless: 2 }, last_analysis_results: { X: 'odd', Y: { category: 'malicious', result: 7 } }, last_analysis_date: 1_700_000_000 },
    });
    expect(report?.facts).toEqual({ kind: 'file', sha256: 'abc', names: ['a'] });
    expect(report?.stats).toMatchObject({ malicious: 0, harmless: 2 });
    expect(report?.engines).toEqual([{ engine: 'X', category: 'unknown', result: null }, { engine: 'Y', category: 'malicious', result: null }]);
    expect(report?.lastAnalysisAt).toBe('2023-11-14T22:13:20.000Z');
  });
});

describe('reportFromV2', () => {
  it('counts URL engine words into categories', () => {
    const report = reportFromV2('url', {
      response_code: 1, url: 'http://x.example/', scan_date: '2026-11-25 10:00:00',
      scans: { A: { detected: true, result: 'malware site' }, B: { detected: true, result: 'suspicious site' }, C: { detected: false, result: 'clean site' }, D: { detected: false, result: 'unrated site' } },
    }, 'http://x.example/');
    expect(report?.stats).toEqual({ malicious: 1, suspicious: 1, harmless: 1, undetected: 1, timeout: 0 });
    expect(report?.lastAnalysisAt).toBe('2026-11-25T10:00:00.000Z');
  });

  it('needs a sha256 for a file', () => {
    expect(reportFromV2('file', { response_code: 1, scans: {} }, 'abc')).toBeNull();
  });
});

describe('v3 comments, votes, behaviour', () => {
  it('parses what is there and skips what is not', () => {
    expect(commentFrom({ id: 'c1', attributes: { text: 'hi', date: 0 } })).toEqual({ id: 'c1', text: 'hi', date: '1970-01-01T00:00:00.000Z' });
    expect(voteFrom({ id: 'v', attributes: { verdict: 'maybe' } })).toBeNull();
    expect(behaviourFrom(undefined)).toEqual({ tags: [], processesCreated: [], filesWritten: [], dnsLookups: [], ipTraffic: [], mitreTechniques: [], verdicts: [] });
  });
});
