import { describe, expect, it } from 'vitest';
import { outcomeEmbed, COLOURS } from '../../../src/discord/render/card.js';
import type { ScanOutcome } from '../../../src/scan/outcome.js';
import type { Report } from '../../../src/vt/report.js';
import { QuotaExhaustedError } from '../../../src/vt/errors.js';
import { SHA, eicar, found } from '../../support/reports.js';

describe('outcomeEmbed', () => {
  it('shows a malicious file in red with 59/69 engines, labels, facts and a Discord timestamp', () => {
    const e = outcomeEmbed(found(eicar()), { threshold: 3, tally: { malicious: 2, harmless: 0 } });
    expect(e.title).toBe('File · malicious');
    expect(e.color).toBe(COLOURS.malicious);
    expect(e.description).toContain('**59/69 engines**');
    const fields = Object.fromEntries((e.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Flagged by']).toContain('**Avast**');
    expect(fields['Flagged by']).not.toContain('Zoner');
    expect(fields.Size).toBe('68 B');
    expect(fields.Type).toBe('DOS COM');
    expect(fields['Last analysed']).toBe('<t:1795608000:R>');
    expect(fields['VirusTotal community']).toBe('12 malicious · 1 harmless');
    expect(fields['Moderator votes']).toBe('2 malicious · 0 harmless');
  });

  it('is suspicious (orange) under the threshold and clean (green) with no detections', () => {
    const few = eicar({ stats: { malicious: 1, suspicious: 0, undetected: 68, harmless: 0, timeout: 0 } });
    expect(outcomeEmbed(found(few), { threshold: 3 })).toMatchObject({ title: 'File · suspicious', color: COLOURS.suspicious });
    const none = eicar({ stats: { malicious: 0, suspicious: 0, undetected: 60, harmless: 9, timeout: 0 }, engines: [] });
    expect(outcomeEmbed(found(none), { threshold: 3 })).toMatchObject({ title: 'File · clean', color: COLOURS.clean });
  });

  it('never presents an unknown object as safe', () => {
    const e = outcomeEmbed({ status: 'unknown', indicator: { kind: 'url', value: 'https://new.example/x' }, reason: 'not-submitted' }, { threshold: 3 });
    expect(e.color).toBe(COLOURS.unknown);
    expect(e.description).toContain('VirusTotal has not seen this');
    expect(e.title).toBe('URL · unknown');
    expect(e.description).toContain('does not mean it is safe');
    expect(e.description).toContain('hxxps://new[.]example/x');
  });

  it('defangs URL targets and says when only the domain was looked up', () => {
    const report: Report = { ...eicar(), kind: 'domain', id: 'evil.example', permalink: 'https://www.virustotal.com/gui/domain/evil.example', facts: { kind: 'domain', domain: 'evil.example', categories: ['phishing'] } };
    const outcome: ScanOutcome = { status: 'found', indicator: { kind: 'url', value: 'https://evil.example/reset?token=s3cret' }, report, via: 'lookup', lookedUpAs: { kind: 'domain', value: 'evil.example' } };
    const e = outcomeEmbed(outcome, { threshold: 3 });
    expect(e.description).toContain('only its domain was looked up');
    expect(e.description).toContain('hxxps://evil[.]example');
    expect(e.description).not.toContain('s3cret');
    expect(JSON.stringify(e)).not.toContain('https://evil.example');
  });

  it('warns when a masked link shows another address than its target', () => {
    const report: Report = { ...eicar(), kind: 'url', facts: { kind: 'url', url: 'https://evil.example/', categories: [] } };
    const outcome: ScanOutcome = { status: 'found', indicator: { kind: 'url', value: 'https://evil.example/' }, report, via: 'lookup' };
    expect(outcomeEmbed(outcome, { threshold: 3, maskedText: 'https://paypal.com' }).description).toContain('hxxps://paypal[.]com');
  });

  it('says a user-uploaded file is now shared with VirusTotal', () => {
    const outcome: ScanOutcome = { status: 'found', indicator: { kind: 'file', value: SHA, file: { sha256: SHA, name: 'a.exe', size: 3, path: '/tmp/x', discard: () => Promise.resolve() } }, report: eicar(), via: 'submitted' };
    expect(outcomeEmbed(outcome, { threshold: 3 }).description).toContain('now shared with VirusTotal');
  });

  it('explains a used-up quota and an error with what to do', () => {
    const quota = outcomeEmbed({ status: 'quota', indicator: { kind: 'ip', value: '1.2.3.4' }, resetAt: '2026-11-27T00:00:00.000Z' }, { threshold: 3 });
    expect(quota.description).toContain('quota is used up until <t:');
    const err = outcomeEmbed({ status: 'error', indicator: { kind: 'ip', value: '1.2.3.4' }, error: new QuotaExhaustedError('day', new Date(0)) }, { threshold: 3 });
    expect(err.description).toContain('quota');
  });

  it('escapes hostile engine labels and file names', () => {
    const report = eicar({ engines: [{ engine: 'X', category: 'malicious', result: '@everyone [click](https://x.y)' }], facts: { kind: 'file', sha256: SHA, names: ['<@123>.exe'] } });
    const text = JSON.stringify(outcomeEmbed(found(report), { threshold: 3 }));
    expect(text).not.toContain('@everyone');
    expect(text).not.toContain('[click](');
    expect(text).not.toContain('"<@123>');
  });
});
