/**
 * Auto-scan as one object, built by app.ts for one logged-in client: it owns the backlog, the
 * memory of what each message was answered for, the jobs this process runs, the scans in flight and
 * the follow-up timers. Every entry (a new message, an edit, a resumed job, a follow-up) runs under
 * its one catch site: a failure is logged with a reference id and counted, and never reaches the
 * event emitter or the process as an unhandled rejection.
 */
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import { newRefId } from '../core/errors.js';
import { MAX_TIMER_MS, timerDelay } from '../core/timers.js';
import { Backlog, ownerOf } from './backlog.js';
import { DurableJobs } from './durable-jobs.js';
import { FairQueue } from './fair-queue.js';
import { DEFAULT_RETRY_BASE_MS } from './follow-up.js';
import { autoScanJobs, type AutoScanJob } from './jobs.js';
import { listenForMessages } from './listeners.js';
import { scanMessage } from './message-scan.js';
import { resumePendingScans } from './resume.js';
import { runStoredJob, slotsOf } from './stored-job.js';
import { HandledIndicators, type AutoScanRuntime, type Entry } from './runtime.js';

export interface AutoScanOptions {
  /** Unit of the retry backoff of indicators VirusTotal could not check; default one minute. */
  retryBaseMs?: number;
  /** Scans released into the quota gate at once (see fair-queue.ts); default 8. */
  scanWindow?: number;
  /** Overall deadline of one auto-scan job (downloads and look-ups); default ten minutes. */
  jobDeadlineMs?: number;
  /** First pause before retrying job writes the store refused (see durable-jobs.ts); default 1 s. */
  storeRetryMs?: number;
}

export const DEFAULT_JOB_DEADLINE_MS = 10 * 60_000;

export class AutoScan implements AutoScanRuntime {
  readonly backlog = new Backlog();
  readonly handled = new HandledIndicators();
  readonly ownJobs = new Set<string>();
  readonly fair: FairQueue;
  readonly jobs: DurableJobs;
  readonly retryBaseMs: number;
  readonly jobDeadlineMs: number;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(readonly ctx: AppContext, readonly client: Client, options: AutoScanOptions = {}) {
    this.retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    this.jobDeadlineMs = options.jobDeadlineMs ?? DEFAULT_JOB_DEADLINE_MS;
    this.fair = new FairQueue(options.scanWindow);
    const probe = ctx.store.jobs.queue('store-probe', () => undefined);
    this.jobs = new DurableJobs(autoScanJobs(ctx), probe, ctx.log, options.storeRetryMs);
  }

  /** Starts scanning what people post; call before login. */
  listen(): void {
    listenForMessages(this.client, (message, entry) =>
      this.track(entry, { messageId: message.id, guildId: message.guildId }, () => scanMessage(this, message)),
    );
  }

  /**
   * Starts every job an earlier run left pending and returns without waiting for them (under a
   * small quota they may take hours); their answers arrive as they complete.
   */
  resume(): Promise<void> {
    return resumePendingScans(this);
  }

  /** Resolves once every auto-scan running now has answered (or given up). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** False while the store refuses job writes (jobs are then kept in memory); /healthz says degraded. */
  get storeWritable(): boolean {
    return this.jobs.writable;
  }

  /** Shutdown: waiting follow-ups stay stored as jobs and are resumed by the next start. */
  stopFollowUps(): void {
    this.jobs.stop();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  track(entry: Entry, fields: Record<string, unknown>, work: () => Promise<void>): void {
    // `then` so that even a synchronous throw inside `work` lands in the catch below.
    const run: Promise<void> = Promise.resolve()
      .then(work)
      .catch((error: unknown) => {
        const refId = newRefId();
        this.ctx.log.error({ module: 'autoscan', entry, refId, err: error, ...fields }, 'auto-scan failed');
        this.ctx.metrics.inc('vtguard_autoscan_failures_total', 'Auto-scan failures, each logged with a reference id', { entry });
      })
      .finally(() => this.#inFlight.delete(run));
    this.#inFlight.add(run);
  }

  /**
   * Runs a stored follow-up at its `notBefore`, through the catch site, once its author has room in
   * the backlog (else it waits another retry unit, still stored); it counts as in flight only while
   * it runs. The timer does not keep the process alive and is cleared on stop.
   */
  schedule(jobId: string, job: AutoScanJob, notBefore = job.notBefore ?? 0): void {
    this.ownJobs.add(jobId);
    const wait = Math.max(0, notBefore - this.ctx.clock());
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      // Node's timers hold at most ~24.8 days; a longer wait (a monthly budget) is taken in steps.
      if (wait > MAX_TIMER_MS) {
        this.schedule(jobId, job, notBefore);
        return;
      }
      const owner = ownerOf(job.guildId, job.authorId);
      const slots = slotsOf(job);
      const granted = this.backlog.take(slots, owner);
      if (granted < slots) {
        this.backlog.release(granted, owner);
        this.schedule(jobId, job, this.ctx.clock() + this.retryBaseMs);
        return;
      }
      this.track('followUp', { jobId, messageId: job.messageId, attempt: job.attempt }, () =>
        runStoredJob(this, jobId, job).finally(() => {
          this.ownJobs.delete(jobId);
          this.backlog.release(slots, owner);
        }),
      );
    }, timerDelay(wait));
    timer.unref();
    this.#timers.add(timer);
  }
}
