/** Report fixtures for the pure rendering tests: an EICAR-like file report and a found outcome. */
import type { ScanOutcome } from '../../src/scan/outcome.js';
import type { Report } from '../../src/vt/report.js';

export const SHA = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

export function eicar(overrides: Partial<Report> = {}): Report {
  return {
    kind: 'file', id: SHA,
    stats: { malicious: 59, suspicious: 0, undetected: 10, harmless: 0, timeout: 2 },
    engines: [
      { engine: 'Kaspersky', category: 'malicious', result: 'EICAR-Test-File' },
      { engine: 'Avast', category: 'malicious', result: 'EICAR Test-NOT virus!!!' },
      { engine: 'Zoner', category: 'undetected', result: null },
    ],
    permalink: `https://www.virustotal.com/gui/file/${SHA}`,
    lastAnalysisAt: '2026-11-25T12:00:00.000Z', reputation: -100,
    votes: { harmless: 1, malicious: 12 },
    facts: { kind: 'file', sha256: SHA, names: ['eicar.com'], size: 68, type: 'DOS COM', threatLabel: 'virus.eicar/test' },
    ...overrides,
  };
}

export const found = (report: Report, value = SHA): ScanOutcome => ({ status: 'found', indicator: { kind: 'hash', value }, report, via: 'lookup' });
