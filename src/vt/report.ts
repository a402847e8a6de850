/**
 * The normalised Report: what every backend (v3, v2) turns a VirusTotal object into, and what the
 * scanner caches and the embeds show. Pure data (JSON-serialisable: dates are ISO strings) so it can
 * be cached in the store as is.
 */
import type { ObjectKind } from '../core/objects.js';

/** `unknown`: VirusTotal has no verdicts for it yet. Never presented as safe. */
export type Verdict = 'malicious' | 'suspicious' | 'clean' | 'unknown';

/** VirusTotal's `last_analysis_stats`. */
export interface AnalysisStats {
  malicious: number;
  suspicious: number;
  undetected: number;
  harmless: number;
  timeout: number;
}

/** One engine's answer in `last_analysis_results`. */
export interface EngineResult {
  engine: string;
  /** `malicious`, `suspicious`, `undetected`, `harmless`, `timeout`, `type-unsupported`, … */
  category: string;
  /** The engine's label (`EICAR-Test-File`, `phishing`), or null. */
  result: string | null;
}

export interface FileFacts {
  kind: 'file';
  sha256: string;
  md5?: string;
  sha1?: string;
  names: string[];
  /** Meaningful name, when VirusTotal gives one. */
  name?: string;
  size?: number;
  /** `type_description` (e.g. "Win32 EXE"). */
  type?: string;
  /** Popular threat label (`popular_threat_classification.suggested_threat_label`). */
  threatLabel?: string;
}

export interface UrlFacts {
  kind: 'url';
  url: string;
  finalUrl?: string;
  title?: string;
  /** Category verdicts from URL categorisation services, de-duplicated. */
  categories: string[];
}

export interface DomainFacts {
  kind: 'domain';
  domain: string;
  categories: string[];
  registrar?: string;
  /** ISO date of the domain's creation, when known. */
  created?: string;
}

export interface IpFacts {
  kind: 'ip';
  ip: string;
  /** Network owner (`as_owner`). */
  owner?: string;
  asn?: number;
  country?: string;
  network?: string;
}

export type Facts = FileFacts | UrlFacts | DomainFacts | IpFacts;

/**
 * What a verdict rests on when VirusTotal has no engine results for the object itself: v2 domain
 * and IP reports carry none, so their verdict comes from the URLs on them that engines flagged,
 * and the report's `stats` are those of the most-flagged URL.
 */
export interface FlaggedUrlsBasis {
  source: 'flagged-urls';
  /** URLs on the domain or IP that at least one engine flagged (in VirusTotal's recent sample). */
  urls: number;
  /** The most-flagged of them: engines that flagged it, of engines that scanned it; null when none. */
  worst: { positives: number; total: number } | null;
}

export interface Report {
  kind: ObjectKind;
  /** VirusTotal's id: sha256, URL id (sha256 of the canonical URL), domain name or IP. */
  id: string;
  stats: AnalysisStats;
  engines: EngineResult[];
  /** VirusTotal's own page for the object (`https://www.virustotal.com/gui/…`). */
  permalink: string;
  /** ISO time of the last analysis, or null when never analysed. */
  lastAnalysisAt: string | null;
  reputation: number;
  /** Community votes on VirusTotal (`total_votes`). */
  votes: { harmless: number; malicious: number };
  facts: Facts;
  /** Set when the verdict does not come from the object's own engine results. */
  basis?: FlaggedUrlsBasis;
}

/** Engines that gave a verdict, as VirusTotal's own page counts them ("59/69"). */
export function enginesWithVerdict(stats: AnalysisStats): number {
  return stats.malicious + stats.suspicious + stats.undetected + stats.harmless;
}

/**
 * The verdict under a guild's threshold: `malicious` when at least `maliciousThreshold` engines say
 * malicious; `suspicious` when fewer do, or any says suspicious; `unknown` when no engine gave a
 * verdict; otherwise `clean`.
 */
export function verdictOf(stats: AnalysisStats, maliciousThreshold: number): Verdict {
  if (enginesWithVerdict(stats) === 0) return 'unknown';
  if (stats.malicious >= Math.max(1, maliciousThreshold)) return 'malicious';
  if (stats.malicious > 0 || stats.suspicious > 0) return 'suspicious';
  return 'clean';
}
