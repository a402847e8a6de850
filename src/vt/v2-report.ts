/**
 * Legacy v2 report JSON → {@link Report}. v2 has no stats object: they are counted from `scans`.
 * Domain and IP reports carry no engine verdicts in v2, so their stats stay zero (verdict
 * `unknown`, never shown as safe).
 *
 * @see https://docs.virustotal.com/v2.0/reference/file-report
 */
import { permalink, urlSha256 } from './ids.js';
import { asNumber, asRecord, asString, asStrings, defined } from './parse.js';
import type { JsonRecord } from './parse.js';
import type { AnalysisStats, DomainFacts, EngineResult, FileFacts, IpFacts, ObjectKind, Report, UrlFacts } from './report.js';

/** v2's URL engines answer with words, not categories. */
function urlCategory(detected: boolean, result: string | null): string {
  if (detected) return result !== null && /suspicious/i.test(result) ? 'suspicious' : 'malicious';
  if (result !== null && /^clean/i.test(result)) return 'harmless';
  return 'undetected';
}

function enginesFrom(kind: ObjectKind, scans: unknown): EngineResult[] {
  return Object.entries(asRecord(scans) ?? {}).map(([engine, entry]) => {
    const detected = asRecord(entry)?.detected === true;
    const result = asString(asRecord(entry)?.result) ?? null;
    const category = kind === 'url' ? urlCategory(detected, result) : detected ? 'malicious' : 'undetected';
    return { engine, category, result };
  });
}

function statsOf(engines: EngineResult[]): AnalysisStats {
  const stats: AnalysisStats = { malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0 };
  for (const { category } of engines) {
    if (category === 'malicious' || category === 'suspicious' || category === 'undetected' || category === 'harmless') stats[category] += 1;
  }
  return stats;
}

/** `scan_date` is `YYYY-MM-DD HH:MM:SS` in UTC. */
function isoFromScanDate(value: unknown): string | null {
  const text = asString(value);
  const time = text === undefined ? NaN : Date.parse(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Category words from `categories` and the `"<vendor> category"` fields of domain reports. */
function domainCategories(body: JsonRecord): string[] {
  const vendor = Object.entries(body).filter(([k, v]) => k.endsWith(' category') && typeof v === 'string').map(([, v]) => v as string);
  return [...new Set([...asStrings(body.categories), ...vendor])];
}

/**
 * A v2 report with `response_code` 1 as a Report, or null when it lacks what identifies it.
 * `subject` is what was asked about (hash, URL, domain, IP), used when the body omits it.
 */
export function reportFromV2(kind: ObjectKind, body: unknown, subject: string): Report | null {
  const data = asRecord(body);
  if (data === undefined) return null;
  const engines = enginesFrom(kind, data.scans);
  const base = { stats: statsOf(engines), engines, lastAnalysisAt: isoFromScanDate(data.scan_date), reputation: 0, votes: { harmless: 0, malicious: 0 } };
  switch (kind) {
    case 'file': {
      const sha256 = asString(data.sha256);
      if (sha256 === undefined) return null;
      const facts = defined<FileFacts>({ kind: 'file', sha256, md5: asString(data.md5), sha1: asString(data.sha1), names: [] });
      return { ...base, kind, id: sha256, permalink: permalink('file', sha256), facts };
    }
    case 'url': {
      const url = asString(data.url) ?? subject;
      const fromScan = /^([0-9a-f]{64})-/.exec(asString(data.scan_id) ?? '')?.[1];
      const id = fromScan ?? urlSha256(url);
      const facts: UrlFacts = { kind: 'url', url, categories: [] };
      return { ...base, kind, id, permalink: permalink('url', id), facts };
    }
    case 'domain': {
      const facts = defined<DomainFacts>({ kind: 'domain', domain: subject, categories: domainCategories(data), registrar: asString(data.registrar) });
      return { ...base, kind, id: subject, permalink: permalink('domain', subject), facts };
    }
    case 'ip': {
      const asn = asNumber(data.asn) ?? (asString(data.asn) === undefined ? undefined : Number(data.asn));
      const facts = defined<IpFacts>({
        kind: 'ip', ip: subject, owner: asString(data.as_owner), asn: Number.isFinite(asn) ? asn : undefined,
        country: asString(data.country), network: asString(data.network),
      });
      return { ...base, kind, id: subject, permalink: permalink('ip', subject), facts };
    }
  }
}
