/**
 * What a scan of one indicator ends in, and the progress it reports on the way. The scanner
 * produces these; the bot turns them into embeds and progress edits.
 */
import type { ObjectRef } from '../core/objects.js';
import type { QueueInfo } from '../vt/backend.js';
import { urlSha256 } from '../vt/ids.js';
import { verdictOf, type Report, type Verdict } from '../vt/report.js';

/** One thing to look up. `file` carries an attachment already hashed and spooled to disk. */
export type Indicator =
  | { kind: 'url'; value: string }
  | { kind: 'domain'; value: string }
  | { kind: 'ip'; value: string }
  | { kind: 'hash'; value: string }
  | { kind: 'file'; value: string; file: SpooledFile };

/** An attachment streamed once from the CDN: its sha256 and a temporary copy for upload. */
export interface SpooledFile {
  sha256: string;
  name: string;
  size: number;
  /** Temporary file holding the bytes; removed by `discard()`. */
  path: string;
  discard(): Promise<void>;
}

/** Per-guild choices that change what the scanner may send to VirusTotal. */
export interface ScanPolicy {
  submitUrls: boolean;
  uploadFiles: boolean;
}

export type Progress =
  | ({ stage: 'queued' } & QueueInfo)
  | { stage: 'submitted' }
  | { stage: 'analysing'; attempt: number };

export type ScanOutcome =
  /** VirusTotal has a report (possibly fresh after submission). `via` says what was looked up. */
  | { status: 'found'; indicator: Indicator; report: Report; via: 'cache' | 'lookup' | 'submitted'; lookedUpAs?: Indicator }
  /**
   * VirusTotal has never seen it and policy forbade sending it; or (`analysis-pending`) a command or
   * button stopped waiting for its analysis, which goes on in the background and fills the cache.
   */
  | { status: 'unknown'; indicator: Indicator; reason: 'not-submitted' | 'analysis-pending' }
  /** The key's budget is spent (or, `reserved`, what is left is kept for auto-scan); nothing was sent. */
  | { status: 'quota'; indicator: Indicator; resetAt: string; reserved?: boolean }
  /** VirusTotal or the network failed after retries, or an analysis was not done by its deadline. */
  | { status: 'error'; indicator: Indicator; error: Error };

/** What an outcome comes to under a guild's threshold: a verdict, or why there is none. */
export type OutcomeWord = Verdict | 'quota' | 'error';
const SEVERITY: Readonly<Record<OutcomeWord, number>> = Object.freeze({ malicious: 0, suspicious: 1, unknown: 2, error: 3, quota: 4, clean: 5 });

export function outcomeWord(outcome: ScanOutcome, threshold: number): OutcomeWord {
  return outcome.status === 'found' ? verdictOf(outcome.report.stats, threshold) : outcome.status;
}

/** Sort key: most severe first. */
export function severityRank(word: OutcomeWord): number {
  return SEVERITY[word];
}

/** Malicious or suspicious under `threshold`: what auto-scan answers and the server acts on. */
export function isFlagged(outcome: ScanOutcome, threshold: number): boolean {
  const word = outcomeWord(outcome, threshold);
  return word === 'malicious' || word === 'suspicious';
}

/** The VirusTotal object an outcome is about (what votes, details and rescan act on), or null. */
export function outcomeTarget(outcome: ScanOutcome): ObjectRef | null {
  if (outcome.status === 'found') return { kind: outcome.report.kind, id: outcome.report.id };
  return indicatorTarget(outcome.indicator);
}

/** The VirusTotal object an indicator names, or null for a URL VirusTotal cannot identify. */
export function indicatorTarget(indicator: Indicator): ObjectRef | null {
  switch (indicator.kind) {
    case 'url':
      try { return { kind: 'url', id: urlSha256(indicator.value) }; } catch { return null; }
    case 'domain': return { kind: 'domain', id: indicator.value.toLowerCase() };
    case 'ip': return { kind: 'ip', id: indicator.value };
    case 'hash': return { kind: 'file', id: indicator.value.toLowerCase() };
    case 'file': return { kind: 'file', id: indicator.file.sha256 };
  }
}
