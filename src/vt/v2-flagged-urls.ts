/**
 * A v2 domain or IP verdict from `detected_urls`: the URLs on it that engines flagged, each with
 * `positives` (engines that flagged it) of `total` (engines that scanned it). The most-flagged URL
 * stands for the host: a domain serving a URL that 12 engines call malicious is reported as such,
 * and the embed says that this is what the verdict rests on. No flagged URL leaves the verdict
 * `unknown` (v2 has nothing that says the host is clean).
 *
 * @see https://docs.virustotal.com/v2.0/reference/domain-report
 */
import { asArray, asCount, asRecord, isoFromScanDate, missing, parsed } from './parse.js';
import type { Parsed } from './parse.js';
import type { AnalysisStats, FlaggedUrlsBasis } from './report.js';

export interface FlaggedUrls {
  stats: AnalysisStats;
  basis: FlaggedUrlsBasis;
  /** When the most-flagged URL was scanned. */
  lastAnalysisAt: string | null;
}

/** `detected_urls`; a count that is not a non-negative integer, or positives above total, is malformed. */
export function flaggedUrlsFrom(value: unknown): Parsed<FlaggedUrls> {
  if (value !== undefined && !Array.isArray(value)) return missing('detected_urls as a list');
  let urls = 0;
  let worst: { positives: number; total: number; scanDate: unknown } | null = null;
  for (const [index, entry] of asArray(value).entries()) {
    const record = asRecord(entry);
    const positives = asCount(record?.positives);
    const total = asCount(record?.total);
    if (positives === undefined || total === undefined || positives > total) {
      return missing(`detected_urls[${index}] with positives and total as counts (positives <= total)`);
    }
    if (positives === 0) continue;
    urls += 1;
    if (worst === null || positives > worst.positives || (positives === worst.positives && total < worst.total)) {
      worst = { positives, total, scanDate: record?.scan_date };
    }
  }
  const stats: AnalysisStats = worst === null
    ? { malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0 }
    : { malicious: worst.positives, suspicious: 0, undetected: worst.total - worst.positives, harmless: 0, timeout: 0 };
  return parsed({
    stats,
    basis: { source: 'flagged-urls', urls, worst: worst === null ? null : { positives: worst.positives, total: worst.total } },
    lastAnalysisAt: worst === null ? null : isoFromScanDate(worst.scanDate),
  });
}
