/**
 * Engine verdicts for the VirusTotal double: a deterministic `last_analysis_results` and matching
 * `last_analysis_stats` from counts, in the shape VirusTotal sends.
 */

/** Real engine names, so reports look like VirusTotal's (order is stable for tests). */
export const ENGINES: readonly string[] = Object.freeze([
  'Acronis', 'ALYac', 'AhnLab-V3', 'Alibaba', 'Antiy-AVL', 'Arcabit', 'Avast', 'Avast-Mobile', 'AVG', 'Avira',
  'Baidu', 'BitDefender', 'BitDefenderFalx', 'Bkav', 'ClamAV', 'CMC', 'CrowdStrike', 'Cybereason', 'Cylance', 'Cynet',
  'DeepInstinct', 'DrWeb', 'Elastic', 'Emsisoft', 'eScan', 'ESET-NOD32', 'F-Secure', 'Fortinet', 'GData', 'Google',
  'Gridinsoft', 'Ikarus', 'Jiangmin', 'K7AntiVirus', 'K7GW', 'Kaspersky', 'Kingsoft', 'Lionic', 'Malwarebytes', 'MAX',
  'MaxSecure', 'McAfee', 'Microsoft', 'NANO-Antivirus', 'Panda', 'QuickHeal', 'Rising', 'Sangfor', 'SentinelOne', 'Skyhigh',
  'Sophos', 'SUPERAntiSpyware', 'Symantec', 'SymantecMobileInsight', 'TACHYON', 'Tencent', 'Trapmine', 'TrendMicro', 'TrendMicro-HouseCall', 'Trellix',
  'VBA32', 'VIPRE', 'ViRobot', 'VirIT', 'Webroot', 'WithSecure', 'Xcitium', 'Yandex', 'Zillya', 'ZoneAlarm',
  'Zoner', 'tehtris', 'Varist', 'huorong', 'Microworld', 'NetSecure', 'Quttera', 'Phishtank', 'OpenPhish', 'URLhaus',
]);

/** How many engines answer what. Unlisted engines are left out of the results. */
export interface VerdictSpec {
  malicious?: number;
  suspicious?: number;
  harmless?: number;
  undetected?: number;
  /** Files only: engines that cannot scan this type. */
  unsupported?: number;
  timeout?: number;
  /** The label malicious engines give (`EICAR-Test-File`, `phishing`). */
  label?: string;
}

export interface EngineAnswers {
  stats: Record<string, number>;
  results: Record<string, { category: string; engine_name: string; engine_version: string; engine_update: string; method: string; result: string | null }>;
}

/** Results in VirusTotal's shape; throws when more engines are asked for than exist. */
export function engineAnswers(spec: VerdictSpec, kind: 'file' | 'url' | 'domain' | 'ip'): EngineAnswers {
  const plan: [category: string, count: number][] = [
    ['malicious', spec.malicious ?? 0], ['suspicious', spec.suspicious ?? 0], ['harmless', spec.harmless ?? 0],
    ['undetected', spec.undetected ?? 0], ['type-unsupported', spec.unsupported ?? 0], ['timeout', spec.timeout ?? 0],
  ];
  const total = plan.reduce((sum, [, n]) => sum + n, 0);
  if (total > ENGINES.length) throw new RangeError(`Expected at most ${ENGINES.length} engines, got ${total}`);
  const stats: Record<string, number> = { malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0 };
  if (kind === 'file') Object.assign(stats, { 'type-unsupported': 0, 'confirmed-timeout': 0, failure: 0 });
  const results: EngineAnswers['results'] = {};
  let next = 0;
  for (const [category, count] of plan) {
    for (let i = 0; i < count; i += 1) {
      const engine = ENGINES[next] ?? `Engine${next}`;
      next += 1;
      stats[category] = (stats[category] ?? 0) + 1;
      results[engine] = {
        category,
        engine_name: engine,
        engine_version: '1.0.0',
        engine_update: '20261125',
        method: 'blacklist',
        result: resultLabel(category, kind, spec.label),
      };
    }
  }
  return { stats, results };
}

function resultLabel(category: string, kind: string, label: string | undefined): string | null {
  if (category === 'malicious' || category === 'suspicious') return label ?? (kind === 'file' ? 'Trojan.Generic' : 'malicious');
  if (kind === 'file') return null;
  return category === 'harmless' ? 'clean' : 'unrated';
}
