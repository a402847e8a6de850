/**
 * Legacy v2 report JSON → {@link Report}. v2 has no stats object: they are counted from `scans`,
 * whose every entry must say `detected` as a boolean. Domain and IP reports carry no engine
 * verdicts in v2; their verdict comes from the URLs on them that engines flagged
 * (`detected_urls`, see v2-flagged-urls.ts). A report about another object than the one asked
 * for is malformed.
 *
 * @see https://docs.virustotal.com/v2.0/reference/file-report
 */
import { answersAsked, permalink, urlSha256 } from './ids.js';
import { asCount, asNumber, asRecord, asString, asStrings, defined, isoFromScanDate, missing, parsed } from './parse.js';
import type { JsonRecord, Parsed } from './parse.js';
import type { ObjectKind } from '../core/objects.js';
import type { AnalysisStats, DomainFacts, EngineResult, FileFacts, IpFacts, Report, UrlFacts } from './report.js';
import { flaggedUrlsFrom } from './v2-flagged-urls.js';

/** v2's URL engines answer with words, not categories. */
function urlCategory(detected: boolean, result: string | null): string {
  if (detected) return result !== null && /suspicious/i.test(result) ? 'suspicious' : 'malicious';
  if (result !== null && /^clean/i.test(result)) return 'harmless';
  return 'undetected';
}

/** `scans`, where a `detected` that is not a boolean makes the answer malformed (not "undetected"). */
function enginesFrom(kind: ObjectKind, scans: unknown): Parsed<EngineResult[]> {
  if (scans === undefined) return parsed([]);
  const record = asRecord(scans);
  if (record === undefined) return missing('scans as an object');
  const engines: EngineResult[] = [];
  for (const [engine, entry] of Object.entries(record)) {
    const detected = asRecord(entry)?.detected;
    if (typeof detected !== 'boolean') return missing(`scans.${engine.slice(0, 60)}.detected as a boolean`);
    const result = asString(asRecord(entry)?.result) ?? null;
    engines.push({ engine, category: kind === 'url' ? urlCategory(detected, result) : detected ? 'malicious' : 'undetected', result });
  }
  return parsed(engines);
}

function statsOf(engines: EngineResult[]): AnalysisStats {
  const stats: AnalysisStats = { malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0 };
  for (const { category } of engines) {
    if (category === 'malicious' || category === 'suspicious' || category === 'undetected' || category === 'harmless') stats[category] += 1;
  }
  return stats;
}

/** `positives`, when sent, must be a count that agrees with the scans it summarises. */
function positivesAgree(data: JsonRecord, stats: AnalysisStats): boolean {
  if (data.positives === undefined) return true;
  return asCount(data.positives) === stats.malicious + stats.suspicious;
}

/** Category words from `categories` and the `"<vendor> category"` fields of domain reports. */
function domainCategories(body: JsonRecord): string[] {
  const vendor = Object.entries(body).filter(([k, v]) => k.endsWith(' category') && typeof v === 'string').map(([, v]) => v as string);
  return [...new Set([...asStrings(body.categories), ...vendor])];
}

/** The Report of a domain or IP: verdict from the URLs on it that engines flagged. */
function hostReport(kind: 'domain' | 'ip', data: JsonRecord, subject: string): Parsed<Report> {
  const flagged = flaggedUrlsFrom(data.detected_urls);
  if (!flagged.ok) return flagged;
  const asn = asNumber(data.asn) ?? (asString(data.asn) === undefined ? undefined : Number(data.asn));
  const facts = kind === 'domain'
    ? defined<DomainFacts>({ kind: 'domain', domain: subject, categories: domainCategories(data), registrar: asString(data.registrar) })
    : defined<IpFacts>({
      kind: 'ip', ip: subject, owner: asString(data.as_owner), asn: Number.isFinite(asn) ? asn : undefined,
      country: asString(data.country), network: asString(data.network),
    });
  const { stats, basis, lastAnalysisAt } = flagged.value;
  return parsed({
    kind, id: subject, stats, engines: [], permalink: permalink(kind, subject), lastAnalysisAt,
    reputation: 0, votes: { harmless: 0, malicious: 0 }, facts, basis,
  });
}

/** A file or URL report: verdict from its own `scans`. */
function scannedReport(kind: 'file' | 'url', data: JsonRecord, subject: string): Parsed<Report> {
  const engines = enginesFrom(kind, data.scans);
  if (!engines.ok) return engines;
  const stats = statsOf(engines.value);
  if (!positivesAgree(data, stats)) return missing('a positives count that agrees with its scans');
  const base = { stats, engines: engines.value, lastAnalysisAt: isoFromScanDate(data.scan_date), reputation: 0, votes: { harmless: 0, malicious: 0 } };
  if (kind === 'file') {
    const sha256 = asString(data.sha256);
    if (sha256 === undefined) return missing('a sha256');
    const facts = defined<FileFacts>({ kind: 'file', sha256, md5: asString(data.md5), sha1: asString(data.sha1), names: [] });
    return parsed({ ...base, kind, id: sha256, permalink: permalink('file', sha256), facts });
  }
  const url = asString(data.url) ?? subject;
  const id = /^([0-9a-f]{64})-/.exec(asString(data.scan_id) ?? '')?.[1] ?? urlSha256(url);
  const facts: UrlFacts = { kind: 'url', url, categories: [] };
  return parsed({ ...base, kind, id, permalink: permalink('url', id), facts });
}

/**
 * A v2 report with `response_code` 1 as a Report. `subject` is what was asked about (hash, URL,
 * domain, IP): the answer must be about it (v2 domain and IP reports do not name their object, so
 * for them it is taken as given).
 */
export function reportFromV2(kind: ObjectKind, body: unknown, subject: string): Parsed<Report> {
  const data = asRecord(body);
  if (data === undefined) return missing('a report object');
  const report = kind === 'file' || kind === 'url' ? scannedReport(kind, data, subject) : hostReport(kind, data, subject);
  if (report.ok && !answersAsked(report.value, { kind, id: subject })) return missing(`the ${kind} asked for (it described ${report.value.id.slice(0, 100)})`);
  return report;
}
