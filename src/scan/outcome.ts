/**
 * What a scan of one indicator ends in, and the progress it reports on the way. The scanner
 * produces these; the bot turns them into embeds and progress edits.
 */
import type { QueueInfo } from '../vt/backend.js';
import type { Report } from '../vt/report.js';

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
  /** The key's budget is spent; nothing was sent. */
  | { status: 'quota'; indicator: Indicator; resetAt: string }
  /** VirusTotal or the network failed after retries, or an analysis was not done by its deadline. */
  | { status: 'error'; indicator: Indicator; error: Error };
