/**
 * v3 API object → {@link Report}. Parses instead of trusting: a missing descriptive field becomes a
 * default and a wrong-typed one is ignored, but what a verdict rests on is checked strictly. An
 * answer without id or type, with a counter that is not a non-negative integer, or about another
 * object than the one asked for is malformed: shown as "not checked", never as clean.
 *
 * @see https://docs.virustotal.com/reference/files-object (and urls, domains, ip-addresses objects)
 */
import { answersAsked, kindOfType, permalink, type Asked } from './ids.js';
import { asCount, asNumber, asRecord, asString, asStrings, at, defined, isoFromEpoch, missing, parsed } from './parse.js';
import type { JsonRecord, Parsed } from './parse.js';
import type { ObjectKind } from '../core/objects.js';
import type { AnalysisStats, DomainFacts, EngineResult, Facts, FileFacts, IpFacts, Report, UrlFacts } from './report.js';

/** The counters a verdict is computed from: each must be there. */
const VERDICT_COUNTERS = ['malicious', 'suspicious', 'undetected', 'harmless'] as const;

/**
 * `last_analysis_stats` (or an analysis's `stats`). Absent: never analysed, all zero (verdict
 * `unknown`). Present: every verdict counter must be a non-negative integer (`timeout` may be left
 * out); `"60"` or `-1` makes the whole answer malformed rather than count as 0.
 */
export function statsFrom(value: unknown): Parsed<AnalysisStats> {
  if (value === undefined) return parsed({ malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0 });
  const record = asRecord(value);
  if (record === undefined) return missing('last_analysis_stats as an object');
  const stats: AnalysisStats = { malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0 };
  for (const key of VERDICT_COUNTERS) {
    const count = asCount(record[key]);
    if (count === undefined) return missing(`last_analysis_stats.${key} as a non-negative integer`);
    stats[key] = count;
  }
  const timeout = record.timeout === undefined ? 0 : asCount(record.timeout);
  if (timeout === undefined) return missing('last_analysis_stats.timeout as a non-negative integer');
  stats.timeout = timeout;
  return parsed(stats);
}

/** `last_analysis_results` (or an analysis's `results`), in VirusTotal's order. */
export function enginesFrom(value: unknown): EngineResult[] {
  const results = asRecord(value) ?? {};
  return Object.entries(results).map(([key, entry]) => ({
    engine: asString(at(entry, 'engine_name')) ?? key,
    category: asString(at(entry, 'category')) ?? 'unknown',
    result: asString(at(entry, 'result')) ?? null,
  }));
}

/** Distinct category labels from `{ vendor: label }`. */
function categoriesFrom(value: unknown): string[] {
  const labels = Object.values(asRecord(value) ?? {}).filter((v): v is string => typeof v === 'string');
  return [...new Set(labels)];
}

function factsFrom(kind: ObjectKind, id: string, attrs: JsonRecord): Facts {
  switch (kind) {
    case 'file':
      return defined<FileFacts>({
        kind: 'file',
        sha256: asString(attrs.sha256) ?? id,
        md5: asString(attrs.md5),
        sha1: asString(attrs.sha1),
        names: asStrings(attrs.names),
        name: asString(attrs.meaningful_name),
        size: asNumber(attrs.size),
        type: asString(attrs.type_description),
        threatLabel: asString(at(attrs, 'popular_threat_classification', 'suggested_threat_label')),
      });
    case 'url':
      return defined<UrlFacts>({
        kind: 'url',
        url: asString(attrs.url) ?? '',
        finalUrl: asString(attrs.last_final_url),
        title: asString(attrs.title),
        categories: categoriesFrom(attrs.categories),
      });
    case 'domain':
      return defined<DomainFacts>({
        kind: 'domain',
        domain: id,
        categories: categoriesFrom(attrs.categories),
        registrar: asString(attrs.registrar),
        created: isoFromEpoch(attrs.creation_date),
      });
    case 'ip':
      return defined<IpFacts>({
        kind: 'ip',
        ip: id,
        owner: asString(attrs.as_owner),
        asn: asNumber(attrs.asn),
        country: asString(attrs.country),
        network: asString(attrs.network),
      });
  }
}

/**
 * A v3 `data` object (file, url, domain, ip_address) as a Report. `asked` is the object the request
 * was for (null where any object is a valid answer, e.g. a URL's network location); an answer about
 * another object is malformed.
 */
export function reportFromV3(data: unknown, asked: Asked | null): Parsed<Report> {
  const id = asString(at(data, 'id'));
  const kind = kindOfType(asString(at(data, 'type')) ?? '');
  if (id === undefined || id === '' || kind === null) return missing('a VirusTotal object (id and type)');
  const attrs = asRecord(at(data, 'attributes')) ?? {};
  const stats = statsFrom(attrs.last_analysis_stats);
  if (!stats.ok) return stats;
  const facts = factsFrom(kind, id, attrs);
  const pageId = kind === 'file' && facts.kind === 'file' ? facts.sha256 : id;
  const report: Report = {
    kind,
    id: pageId,
    stats: stats.value,
    engines: enginesFrom(attrs.last_analysis_results),
    permalink: permalink(kind, pageId),
    lastAnalysisAt: isoFromEpoch(attrs.last_analysis_date) ?? null,
    reputation: asNumber(attrs.reputation) ?? 0,
    votes: { harmless: asCount(at(attrs, 'total_votes', 'harmless')) ?? 0, malicious: asCount(at(attrs, 'total_votes', 'malicious')) ?? 0 },
    facts,
  };
  if (asked !== null && !answersAsked(report, asked)) return missing(`the ${asked.kind} asked for (it described ${kind} ${id.slice(0, 100)})`);
  return parsed(report);
}

/** A `{type, id}` object descriptor (relationship listings), or null for other types. */
export function descriptorFrom(item: unknown): { kind: ObjectKind; id: string } | null {
  const id = asString(at(item, 'id'));
  const kind = kindOfType(asString(at(item, 'type')) ?? '');
  return id !== undefined && kind !== null ? { kind, id } : null;
}
