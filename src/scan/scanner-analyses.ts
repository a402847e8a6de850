/**
 * The scanner's submitted analyses (URL submissions, uploads, rescans): each is submitted once for
 * everyone asking, stored as a job with its submission time, and polled until VirusTotal completes
 * it or its deadline passes (scanner-poll.ts). Stored jobs survive a restart: `resume()` polls them
 * again under the same deadline, so nothing is submitted twice and no analysis is dropped early.
 */
import type { Logger } from '../log.js';
import type { Job, JobStore } from '../store/jobs.js';
import type { AnalysisRef, CallOptions, Priority, VtBackend } from '../vt/backend.js';
import { QuotaExhaustedError } from '../vt/errors.js';
import type { Report } from '../vt/report.js';
import { GateClosedError } from '../vt/retry.js';
import type { ReportCache } from './scanner-cache.js';
import { Flights, type Emit } from './scanner-flights.js';
import { pollAnalysis, type AnalysisJob } from './scanner-poll.js';

export interface AnalysesOptions {
  vt: VtBackend;
  jobs: JobStore<AnalysisJob>;
  cache: ReportCache;
  log?: Logger | undefined;
  /** First wait before a poll, and the longest wait between two. */
  pollMs: number;
  maxPollWaitMs: number;
  /** How long after its submission an analysis is polled before it is given up. */
  deadlineMs: number;
  /** How long a command or button waits before hearing "still pending". */
  interactiveWaitMs: number;
  clock: () => number;
  /** Aborted on shutdown: polling stops and unfinished jobs stay stored. */
  closing: AbortSignal;
}

/** Who waits for an analysis, and how they hear about it. */
export interface Waiter {
  priority: Priority;
  signal?: AbortSignal | undefined;
  onProgress?: Emit | undefined;
}

/** Returned by {@link Analyses.resume}. */
export interface ResumedAnalyses {
  /** Analyses found pending in the store. */
  count: number;
  /** Settles when all of them are polled to the end (their reports are then cached). */
  finished: Promise<void>;
}

export class Analyses {
  private readonly flights = new Flights<Report | null>();

  constructor(private readonly options: AnalysesOptions) {}

  /** Whether an analysis stored under `key` is being polled now. */
  inProgress(key: string): boolean {
    return this.flights.inProgress(key);
  }

  /**
   * The report of the analysis for `key`, submitting it with `submit` unless one is in flight; null
   * when VirusTotal completed it without an object. Auto-scans wait for the end (or the deadline's
   * error); a command or button gets `'pending'` after `interactiveWaitMs` while polling goes on.
   */
  async wait(key: string, submit: (call: CallOptions) => Promise<AnalysisRef>, waiter: Waiter): Promise<Report | null | 'pending'> {
    const interactive = waiter.priority === 'command' || waiter.priority === 'button';
    const patience = interactive ? AbortSignal.timeout(this.options.interactiveWaitMs) : undefined;
    const signals = [waiter.signal, patience].filter((s): s is AbortSignal => s !== undefined);
    try {
      return await this.flights.join(key, (emit) => this.submitAndFinish(key, waiter.priority, submit, emit), waiter.onProgress, signals.length === 0 ? undefined : AbortSignal.any(signals));
    } catch (error) {
      if (patience?.aborted !== true || waiter.signal?.aborted === true) throw error;
      return 'pending';
    }
  }

  /**
   * Polls the analyses a previous run submitted but did not finish, and caches their reports.
   * Resolves once they are registered (a scan of the same object from now on joins the poll instead
   * of submitting again); `finished` settles when all are polled. Never rejects.
   */
  async resume(): Promise<ResumedAnalyses> {
    let pending: Array<Job<AnalysisJob>>;
    try {
      pending = [];
      // With several processes on one store, each analysis is polled by the one that claims it.
      for (const job of await this.options.jobs.pending()) if (await this.options.jobs.claim(job.id)) pending.push(job);
    } catch (error) {
      this.options.log?.error({ module: 'scanner', err: error }, 'could not read pending analyses; none resumed');
      return { count: 0, finished: Promise.resolve() };
    }
    const finished = pending.map(async (job) => {
      const key = job.payload.keys[0] ?? `job:${job.id}`;
      // Records from before start times were stored count from when they were written.
      const payload: AnalysisJob = { ...job.payload, startedAt: job.payload.startedAt ?? job.createdAt };
      try {
        await this.flights.join(key, (emit) => this.finish(payload, job.id, emit));
      } catch (error) {
        this.options.log?.warn({ module: 'scanner', err: error, analysis: job.payload.ref.id }, 'resumed analysis failed');
      }
    });
    if (pending.length > 0) this.options.log?.info({ module: 'scanner', count: pending.length }, 'resuming analyses');
    return { count: pending.length, finished: Promise.all(finished).then(() => undefined) };
  }

  /** Resolves once every analysis now in flight has settled. */
  settled(): Promise<void> {
    return this.flights.settled();
  }

  /** The shared part of a submission: submit, store the job with its start time, poll. */
  private async submitAndFinish(key: string, priority: Priority, submit: (call: CallOptions) => Promise<AnalysisRef>, emit: Emit): Promise<Report | null> {
    const ref = await submit({ priority, signal: this.options.closing, onQueued: (info) => emit({ stage: 'queued', ...info }) });
    emit({ stage: 'submitted' });
    const job: AnalysisJob = { ref, keys: [key], startedAt: this.options.clock() };
    const jobId = await this.options.jobs.add(job).catch((error: unknown) => {
      this.options.log?.warn({ module: 'scanner', err: error }, 'could not store the analysis; a restart will not resume it');
      return undefined;
    });
    return this.finish(job, jobId, emit);
  }

  /**
   * Polls a stored analysis and caches the report. The job is removed once the analysis is settled
   * (a report, none, past its deadline, or a definite error), and kept when polling was cut short by
   * shutdown or a spent quota, so the next start's `resume()` finishes it before the same deadline.
   */
  private async finish(job: AnalysisJob, jobId: string | undefined, emit: Emit): Promise<Report | null> {
    const { vt, cache, clock, closing } = this.options;
    let keep = false;
    try {
      const report = await pollAnalysis(vt, job.ref, {
        pollMs: this.options.pollMs, maxWaitMs: this.options.maxPollWaitMs, clock,
        startedAt: job.startedAt ?? clock(), deadlineMs: this.options.deadlineMs, emit, signal: closing,
      });
      if (report !== null) await cache.putReport(job.keys, report);
      return report;
    } catch (error) {
      keep = closing.aborted || error instanceof GateClosedError || error instanceof QuotaExhaustedError;
      throw error;
    } finally {
      if (jobId !== undefined && !keep) await this.options.jobs.complete(jobId).catch(() => undefined);
    }
  }
}
