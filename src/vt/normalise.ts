/**
 * v3 API object → {@link Report}. Parses instead of trusting: a missing field becomes a default,
 * a wrong-typed one is ignored; only an object without id or type is rejected (null).
 *
 * @see https://docs.virustotal.com/reference/files-object (and urls, domains, ip-addresses objects)
 */
import { kindOfType, permalink } from './ids.js';
import { asNumber, asRecord, asString, asStrings, at, defined, isoFromEpoch } from './parse.js';
import type { AnalysisStats, DomainFacts, EngineResult, Facts, FileFacts, IpFacts, ObjectKind, Report, UrlFacts } from './report.js';
import type { JsonRecord } from './parse.js';

/** `last_analysis_stats` (or an analysis's `stats`) with missing counters as 0. */
export function statsFrom(value: unknown): AnalysisStats {
  const count = (key: string): number => asNumber(at(value, key)) ?? 0;
  return {
    malicious: count('malicious'),
    suspicious: count('suspicious'),
    undetected: count('undetected'),
    harmless: count('harmless'),
    timeout: count('timeout'),
  };
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
 * A v3 `data` object (file, url, domain, ip_address) as a Report, or null when it is not one
 * (no id, or another type).
 */
export function reportFromV3(data: unknown): Report | null {
  const id = asString(at(data, 'id'));
  const kind = kindOfType(asString(at(data, 'type')) ?? '');
  if (id === undefined || id === '' || kind === null) return null;
  const attrs = asRecord(at(data, 'attributes')) ?? {};
  const facts = factsFrom(kind, id, attrs);
  const pageId = kind === 'file' && facts.kind === 'file' ? facts.sha256 : id;
  return {
    kind,
    id: pageId,
    stats: statsFrom(attrs.last_analysis_stats),
    engines: enginesFrom(attrs.last_analysis_results),
    permalink: permalink(kind, pageId),
    lastAnalysisAt: isoFromEpoch(attrs.last_analysis_date) ?? null,
    reputation: asNumber(attrs.reputation) ?? 0,
    votes: { harmless: asNumber(at(attrs, 'total_votes', 'harmless')) ?? 0, malicious: asNumber(at(attrs, 'total_votes', 'malicious')) ?? 0 },
    facts,
  };
}

/** A `{type, id}` object descriptor (relationship listings), or null for other types. */
export function descriptorFrom(item: unknown): { kind: ObjectKind; id: string } | null {
  const id = asString(at(item, 'id'));
  const kind = kindOfType(asString(at(item, 'type')) ?? '');
  return id !== undefined && kind !== null ? { kind, id } : null;
}
