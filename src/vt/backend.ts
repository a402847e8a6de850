/**
 * What the scanner and the bot need from VirusTotal, whichever API version serves it. The v3 client
 * (`client.ts`) and the legacy v2 client (`v2.ts`) both implement {@link VtBackend}. Every method
 * sends its HTTP request(s) through the quota gate it was built with, so nothing reaches VirusTotal
 * around the gate.
 */
import type { ObjectKind, VoteVerdict } from '../core/objects.js';
import type { Report } from './report.js';

/** Who is waiting: the gate serves higher priorities first. */
export type Priority = 'command' | 'button' | 'autoscan' | 'poll';

/** Where a request stands while it waits for a quota slot. */
export interface QueueInfo {
  /** 1 = next to be sent. */
  position: number;
  estimatedWaitMs: number;
}

export interface CallOptions {
  priority: Priority;
  signal?: AbortSignal;
  /** Called when the request has to wait for a slot, and again when its position changes. */
  onQueued?: (info: QueueInfo) => void;
  /**
   * Percent of the day budget kept for auto-scan (the guild's `autoscan_reserve`): a `command` or
   * `button` request is refused with QuotaReservedError instead of taking a day slot inside it.
   */
  reservePercent?: number;
}

/** The gate every VirusTotal request passes (implemented by `QuotaGate` in quota.ts). */
export interface RequestGate {
  /**
   * Waits for a slot under the key's rate and budgets (in priority order), then calls `send`.
   * Retries `send` (a fresh attempt each time) on retryable VtErrors with jittered backoff,
   * honouring Retry-After; pauses the whole gate on 429. Rejects with QuotaExhaustedError instead
   * of sending into a known-exhausted budget.
   */
  run<T>(send: (signal: AbortSignal) => Promise<T>, options: CallOptions): Promise<T>;
}

/** A file on disk to upload: read afresh for each attempt, so a retry can resend it. */
export interface FileSource {
  name: string;
  size: number;
  /** When already known (an attachment hashed on download): lets a poll fetch the report by it. */
  sha256?: string;
  /** Where the bytes are (a spooled attachment's temporary file); streamed, never read whole. */
  path: string;
}

/** A submitted analysis to poll. */
export interface AnalysisRef {
  /** v3 analysis id, or v2 scan_id. */
  id: string;
  kind: 'file' | 'url';
  /** What to fetch once the analysis completes (sha256 for files, the URL for URLs). */
  resource: string;
}

export type AnalysisStatus =
  | { status: 'queued' | 'in-progress' }
  | { status: 'completed'; report: Report | null };

export interface Comment {
  id: string;
  text: string;
  date: string;
  votes?: { positive: number; negative: number };
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}


export interface Vote {
  id: string;
  verdict: VoteVerdict;
  date: string;
}

/** Condensed sandbox behaviour of a file (`/files/{id}/behaviour_summary`). */
export interface BehaviourSummary {
  tags: string[];
  processesCreated: string[];
  filesWritten: string[];
  dnsLookups: string[];
  ipTraffic: string[];
  mitreTechniques: string[];
  verdicts: string[];
}

export type Relationship = 'contacted_urls' | 'contacted_domains' | 'contacted_ips';

/** A related object in a relationship listing (id plus a report when VirusTotal includes one). */
export interface RelatedObject {
  kind: ObjectKind;
  id: string;
}

export interface VtBackend {
  readonly apiVersion: 2 | 3;
  /** By md5, sha1 or sha256. Throws NotFoundError when VirusTotal has never seen it. */
  getFile(hash: string, options: CallOptions): Promise<Report>;
  /** Uploads a file (upload URL for files over 32 MB, up to 650 MB). */
  uploadFile(file: FileSource, options: CallOptions): Promise<AnalysisRef>;
  /** Asks VirusTotal to analyse a known file again. */
  rescanFile(hash: string, options: CallOptions): Promise<AnalysisRef>;
  /** By the URL itself. Throws NotFoundError when VirusTotal has never seen it. */
  getUrl(url: string, options: CallOptions): Promise<Report>;
  submitUrl(url: string, options: CallOptions): Promise<AnalysisRef>;
  getDomain(domain: string, options: CallOptions): Promise<Report>;
  getIp(ip: string, options: CallOptions): Promise<Report>;
  getAnalysis(ref: AnalysisRef, options: CallOptions): Promise<AnalysisStatus>;
  /** The following throw NotAvailableOnV2Error on the v2 backend. */
  getComments(kind: ObjectKind, id: string, page: { limit?: number; cursor?: string }, options: CallOptions): Promise<Page<Comment>>;
  postComment(kind: ObjectKind, id: string, text: string, options: CallOptions): Promise<Comment>;
  getVotes(kind: ObjectKind, id: string, page: { limit?: number; cursor?: string }, options: CallOptions): Promise<Page<Vote>>;
  postVote(kind: ObjectKind, id: string, verdict: VoteVerdict, options: CallOptions): Promise<void>;
  getBehaviourSummary(sha256: string, options: CallOptions): Promise<BehaviourSummary>;
  getRelationship(kind: ObjectKind, id: string, relationship: Relationship, page: { limit?: number; cursor?: string }, options: CallOptions): Promise<Page<RelatedObject>>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}
