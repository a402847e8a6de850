/**
 * The scanner: one indicator in, one ScanOutcome out, never a throw. Each look-up goes
 * cache → single-flight → quota gate (inside the client) → VirusTotal, under the look-up
 * policy: sensitive URLs only by their host; unknown URLs submitted only when `submitUrls` (else the
 * host is checked); unknown files uploaded only when `uploadFiles`.
 *
 * Restarts: every submission (URL submit, upload, rescan) is stored as a job until its analysis is
 * polled to the end. `resume()` polls the stored ones again and caches their reports, so a resumed
 * auto-scan of the same object finds the report in the cache (or joins the poll) and nothing is
 * submitted twice. Look-ups are not stored: a repeated look-up after a crash is one request.
 */
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { DEFAULT_SETTINGS } from '../store/settings.js';
import type { Store } from '../store/store.js';
import type { AnalysisRef, CallOptions, Priority, VtBackend } from '../vt/backend.js';
import { NotFoundError, QuotaExhaustedError } from '../vt/errors.js';
import { urlSha256 } from '../vt/ids.js';
import { QuotaReservedError } from '../vt/quota.js';
import { objectKey, type ObjectKind } from '../core/objects.js';
import type { Report } from '../vt/report.js';
import { isSensitiveUrl } from './sensitive.js';
import { outcomeWord, type Indicator, type Progress, type ScanOutcome, type ScanPolicy } from './outcome.js';
import { Analyses, type ResumedAnalyses } from './scanner-analyses.js';
import { ReportCache } from './scanner-cache.js';
import { Flights, type Emit } from './scanner-flights.js';
import { parseAnalysisJob } from './scanner-poll.js';

const HOUR_MS = 3_600_000;

export interface ScannerOptions {
  vt: VtBackend;
  store: Store;
  log?: Logger;
  /** How long a report is reused (CACHE_TTL_MINUTES). */
  cacheTtlMs: number;
  /** How long "VirusTotal has not seen it" is reused; default 10 minutes. */
  notFoundTtlMs?: number;
  /** First wait before polling an analysis (VT_POLL_MS). */
  pollMs: number;
  /** Longest wait between two polls of an analysis; default 5 minutes. */
  maxPollWaitMs?: number;
  /**
   * How long after its submission an analysis is polled (across restarts) before it is given up
   * as "not checked" (an `error` outcome, which auto-scan follows up); default one hour.
   */
  analysisDeadlineMs?: number;
  /**
   * How long a command or button waits for an analysis before answering `analysis-pending` (the
   * polling goes on and caches the report); default 10 minutes, inside Discord's 15-minute token.
   */
  interactiveWaitMs?: number;
  /** For log timings and analysis deadlines; cache expiry follows the store's own clock. */
  clock?: () => number;
  /** Cache look-ups and scans by verdict (vtguard_cache_lookups_total, vtguard_scans_total). */
  metrics?: Metrics;
}

export interface ScanOptions {
  priority: Priority;
  policy: ScanPolicy;
  onProgress?: (progress: Progress) => void;
  /** Stops waiting (the shared work goes on for others and still fills the cache). */
  signal?: AbortSignal;
  /** Rescan: skip the cache and ask VirusTotal to analyse again (files, URLs) or fetch anew. */
  fresh?: boolean;
  /** The guild's `autoscan_reserve`, passed to every request (see CallOptions.reservePercent). */
  reservePercent?: number;
}

/** What one look-up asks VirusTotal for, and the object key it is cached and joined under. */
interface LookupTarget {
  kind: ObjectKind;
  /** What is sent to VirusTotal (for a URL, the URL itself). */
  id: string;
  key: string;
}

export class Scanner {
  private readonly lookups: Flights<Report | null>;
  private readonly analyses: Analyses;
  private readonly cache: ReportCache;
  private readonly closing = new AbortController();
  private readonly clock: () => number;

  constructor(private readonly options: ScannerOptions) {
    this.clock = options.clock ?? Date.now;
    this.cache = new ReportCache(options.store.cache, options.cacheTtlMs, options.notFoundTtlMs ?? 600_000, options.log);
    // Across processes sharing the store, a look-up another process is doing is read from the cache it fills.
    const cache = this.cache;
    this.lookups = new Flights<Report | null>(undefined, { lock: options.store.flights, result: async (key) => (await cache.get(key))?.report });
    this.analyses = new Analyses({
      vt: options.vt, jobs: options.store.jobs.queue('scanner-analyses', parseAnalysisJob), cache: this.cache, log: options.log,
      pollMs: options.pollMs, maxPollWaitMs: options.maxPollWaitMs ?? 300_000, deadlineMs: options.analysisDeadlineMs ?? HOUR_MS,
      interactiveWaitMs: options.interactiveWaitMs ?? 600_000, clock: this.clock, closing: this.closing.signal,
    });
  }

  /** Looks `indicator` up under `options.policy`. Never throws: failures are `error` / `quota`. */
  async scan(indicator: Indicator, options: ScanOptions): Promise<ScanOutcome> {
    const outcome = await this.scanOnce(indicator, options);
    // Counted under the default threshold: the metric is about the bot, not one guild's setting.
    const verdict = outcomeWord(outcome, DEFAULT_SETTINGS.maliciousThreshold);
    this.options.metrics?.inc('vtguard_scans_total', 'Indicators scanned, by kind and outcome', { kind: indicator.kind, verdict });
    return outcome;
  }

  private async scanOnce(indicator: Indicator, options: ScanOptions): Promise<ScanOutcome> {
    const started = this.clock();
    try {
      switch (indicator.kind) {
        case 'url':
          await this.rememberUrl(indicator.value);
          return await this.scanUrl(indicator, indicator.value, options);
        case 'domain': return await this.scanObject(indicator, target('domain', indicator.value.toLowerCase().replace(/\.$/, '')), options);
        case 'ip': return await this.scanObject(indicator, target('ip', indicator.value), options);
        case 'hash': return await this.scanFile(indicator, indicator.value.toLowerCase(), undefined, options);
        case 'file': return await this.scanFile(indicator, indicator.file.sha256.toLowerCase(), indicator.file, options);
      }
    } catch (error) {
      if (error instanceof QuotaExhaustedError) {
        return { status: 'quota', indicator, resetAt: error.resetAt.toISOString(), ...(error instanceof QuotaReservedError ? { reserved: true } : {}) };
      }
      this.options.log?.warn({ module: 'scanner', err: error, kind: indicator.kind, ms: this.clock() - started }, 'scan failed');
      return { status: 'error', indicator, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  /**
   * Polls the analyses a previous run submitted but did not finish, and caches their reports.
   * Resolves once they are registered (a scan of the same object from now on joins the poll instead
   * of submitting again), so await it before resuming auto-scans; `finished` settles when all are
   * polled. Never rejects: a store failure is logged and nothing is resumed.
   */
  resume(): Promise<ResumedAnalyses> {
    return this.analyses.resume();
  }

  /** Stops polling; unfinished analyses stay stored for `resume()` after the restart. */
  async close(): Promise<void> {
    this.closing.abort(new Error('The scanner is shutting down'));
    await Promise.all([this.lookups.settled(), this.analyses.settled()]);
  }

  /** Buttons on the card act on the URL's id; the URL itself is kept for them (store/targets.ts). */
  private async rememberUrl(url: string): Promise<void> {
    try {
      await this.options.store.targets.remember({ kind: 'url', id: urlSha256(url) }, url);
    } catch (error) {
      // Not fatal for the scan: only Rescan and Details of this card will ask for the URL again.
      this.options.log?.warn({ module: 'scanner', err: error }, 'could not remember a URL for its buttons');
    }
  }

  private async scanUrl(indicator: Indicator, url: string, options: ScanOptions): Promise<ScanOutcome> {
    // VirusTotal shows its community what is queried: secrets in URLs must not be sent.
    if (isSensitiveUrl(url)) return this.scanHost(indicator, url, options);
    const t = target('url', url, objectKey({ kind: 'url', id: urlSha256(url) }));
    if (options.fresh === true || this.analyses.inProgress(t.key)) return this.submitted(indicator, t, options, (call) => this.options.vt.submitUrl(url, call));
    const { report, via } = await this.lookup(t, options);
    if (report !== null) return { status: 'found', indicator, report, via };
    if (options.policy.submitUrls) return this.submitted(indicator, t, options, (call) => this.options.vt.submitUrl(url, call));
    return this.scanHost(indicator, url, options);
  }

  /** The URL's host instead of the URL: its domain (or IP) report. */
  private async scanHost(indicator: Indicator, url: string, options: ScanOptions): Promise<ScanOutcome> {
    const host = hostOf(url);
    if (host === undefined) return { status: 'error', indicator, error: new Error(`Not a URL with a host: ${url}`) };
    const outcome = await this.scanObject(indicator, host.target, options);
    return outcome.status === 'found' ? { ...outcome, lookedUpAs: host.lookedUpAs } : outcome;
  }

  /**
   * The outcome `scan` would give when the cache alone answers it, without queueing or asking
   * VirusTotal; `undefined` when it cannot (a miss, the same look-up or analysis in flight, or a
   * policy that would submit or upload). A command uses it to answer a cached look-up with one
   * reply instead of a deferral and an edit; on `undefined` it defers and calls `scan`.
   */
  async peek(indicator: Indicator, policy: ScanPolicy): Promise<ScanOutcome | undefined> {
    const outcome = await this.peekOnce(indicator, policy).catch(() => undefined);
    if (outcome !== undefined) {
      const verdict = outcomeWord(outcome, DEFAULT_SETTINGS.maliciousThreshold);
      this.options.metrics?.inc('vtguard_scans_total', 'Indicators scanned, by kind and outcome', { kind: indicator.kind, verdict });
    }
    return outcome;
  }

  private async peekOnce(indicator: Indicator, policy: ScanPolicy): Promise<ScanOutcome | undefined> {
    const fromCache = async (t: LookupTarget, uploadable = false): Promise<ScanOutcome | undefined> => {
      const hit = this.lookups.inProgress(t.key) ? undefined : await this.cache.get(t.key);
      if (hit === undefined || (hit.report === null && uploadable)) return undefined;
      this.options.metrics?.inc('vtguard_cache_lookups_total', 'Report look-ups', { result: 'hit' });
      return hit.report === null ? { status: 'unknown', indicator, reason: 'not-submitted' } : { status: 'found', indicator, report: hit.report, via: 'cache' };
    };
    switch (indicator.kind) {
      case 'url': {
        const url = indicator.value;
        let outcome: ScanOutcome | undefined;
        const t = target('url', url, objectKey({ kind: 'url', id: urlSha256(url) }));
        if (!isSensitiveUrl(url) && !this.analyses.inProgress(t.key)) outcome = await fromCache(t, policy.submitUrls);
        if (isSensitiveUrl(url) || outcome?.status === 'unknown') {
          const host = hostOf(url);
          const hostOutcome = host === undefined ? undefined : await fromCache(host.target);
          outcome = hostOutcome?.status === 'found' && host !== undefined ? { ...hostOutcome, lookedUpAs: host.lookedUpAs } : hostOutcome;
        }
        // As `scan` does: the card's buttons will ask for the URL by its id.
        if (outcome !== undefined) await this.rememberUrl(url);
        return outcome;
      }
      case 'domain': return fromCache(target('domain', indicator.value.toLowerCase().replace(/\.$/, '')));
      case 'ip': return fromCache(target('ip', indicator.value));
      case 'hash': return fromCache(target('file', indicator.value.toLowerCase()));
      case 'file': return fromCache(target('file', indicator.file.sha256.toLowerCase()), policy.uploadFiles);
    }
  }

  private async scanObject(indicator: Indicator, t: LookupTarget, options: ScanOptions): Promise<ScanOutcome> {
    const { report, via } = await this.lookup(t, options);
    return report === null ? { status: 'unknown', indicator, reason: 'not-submitted' } : { status: 'found', indicator, report, via };
  }

  private async scanFile(indicator: Indicator, hash: string, file: Extract<Indicator, { kind: 'file' }>['file'] | undefined, options: ScanOptions): Promise<ScanOutcome> {
    const t = target('file', hash);
    const upload = (call: CallOptions): Promise<AnalysisRef> =>
      file === undefined ? Promise.reject(new Error('no file to upload'))
        : this.options.vt.uploadFile({ name: file.name, size: file.size, sha256: file.sha256, path: file.path }, call);
    if (options.fresh === true) {
      try {
        return await this.submitted(indicator, t, options, (call) => this.options.vt.rescanFile(hash, call));
      } catch (error) {
        // A rescan of a file VirusTotal never saw falls through to the upload policy.
        if (!(error instanceof NotFoundError)) throw error;
      }
    } else {
      const { report, via } = await this.lookup(t, options);
      if (report !== null) return { status: 'found', indicator, report, via };
    }
    if (file !== undefined && options.policy.uploadFiles) return this.submitted(indicator, t, options, upload);
    return { status: 'unknown', indicator, reason: 'not-submitted' };
  }

  /** Cache, then a shared request. `report: null` = VirusTotal has not seen it. */
  private async lookup(t: LookupTarget, options: ScanOptions): Promise<{ report: Report | null; via: 'cache' | 'lookup' }> {
    const count = (result: 'hit' | 'miss' | 'joined'): void => this.options.metrics?.inc('vtguard_cache_lookups_total', 'Report look-ups', { result });
    if (options.fresh !== true && !this.lookups.inProgress(t.key)) {
      const hit = await this.cache.get(t.key);
      count(hit === undefined ? 'miss' : 'hit');
      if (hit !== undefined) return { report: hit.report, via: 'cache' };
    } else if (options.fresh !== true) count('joined');
    const report = await this.lookups.join(t.key, (emit) => this.fetch(t, options, emit), progressOf(options), options.signal);
    return { report, via: 'lookup' };
  }

  private async fetch(t: LookupTarget, options: Pick<ScanOptions, 'priority' | 'reservePercent'>, emit: Emit): Promise<Report | null> {
    const call: CallOptions = {
      priority: options.priority, signal: this.closing.signal, onQueued: (info) => emit({ stage: 'queued', ...info }),
      ...(options.reservePercent === undefined ? {} : { reservePercent: options.reservePercent }),
    };
    const { vt } = this.options;
    try {
      const report = await (t.kind === 'file' ? vt.getFile(t.id, call) : t.kind === 'url' ? vt.getUrl(t.id, call) : t.kind === 'domain' ? vt.getDomain(t.id, call) : vt.getIp(t.id, call));
      await this.cache.putReport([t.key], report);
      return report;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await this.cache.putNotFound(t.key);
      return null;
    }
  }

  /** Submits (once for all joiners) and waits for the analysis; see {@link Analyses.wait}. */
  private async submitted(indicator: Indicator, t: LookupTarget, options: ScanOptions, submit: (call: CallOptions) => Promise<AnalysisRef>): Promise<ScanOutcome> {
    const reserved = (call: CallOptions): Promise<AnalysisRef> =>
      submit(options.reservePercent === undefined ? call : { ...call, reservePercent: options.reservePercent });
    const report = await this.analyses.wait(t.key, reserved, { priority: options.priority, signal: options.signal, onProgress: progressOf(options) });
    if (report === null || report === 'pending') return { status: 'unknown', indicator, reason: 'analysis-pending' };
    return { status: 'found', indicator, report, via: 'submitted' };
  }
}

function target(kind: ObjectKind, id: string, key = objectKey({ kind, id })): LookupTarget {
  return { kind, id, key };
}

/** The host a URL is looked up by instead of itself (a domain, or an IP address). */
function hostOf(url: string): { target: LookupTarget; lookedUpAs: Indicator } | undefined {
  const host = URL.parse(url)?.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (host === undefined || host === '') return undefined;
  const kind = /^[\d.]+$|:/.test(host) ? 'ip' : 'domain';
  return { target: target(kind, host), lookedUpAs: { kind, value: host } };
}

function progressOf(options: ScanOptions): Emit | undefined {
  return options.onProgress;
}
