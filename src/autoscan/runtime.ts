/**
 * What one auto-scan remembers while it runs, as the scan steps see it: the backlog bound, which
 * indicators each recent message has already been answered for, which stored jobs this process
 * owns (so the start-up resume never runs a job a live listener is already running), and the two
 * services the AutoScan object gives them (the catch site and the follow-up timer).
 */
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import type { Backlog } from './backlog.js';
import type { FairQueue } from './fair-queue.js';
import type { AutoScanJob } from './jobs.js';

/** Recent messages remembered for edits and late link embeds; older edits may be scanned again. */
const REMEMBERED_MESSAGES = 5_000;

export class HandledIndicators {
  readonly #byMessage = new Map<string, Set<string>>();

  of(messageId: string): ReadonlySet<string> {
    return this.#byMessage.get(messageId) ?? new Set();
  }

  add(messageId: string, keys: Iterable<string>): void {
    const set = this.#byMessage.get(messageId) ?? new Set<string>();
    for (const key of keys) set.add(key);
    // Re-insert so the Map's order is least recently used first.
    this.#byMessage.delete(messageId);
    this.#byMessage.set(messageId, set);
    for (const oldest of this.#byMessage.keys()) {
      if (this.#byMessage.size <= REMEMBERED_MESSAGES) break;
      this.#byMessage.delete(oldest);
    }
  }
}

/** The job operations auto-scan needs (store/jobs.ts's JobStore has them). */
export interface AutoScanJobStore {
  add(job: AutoScanJob): Promise<string>;
  /** Writes a new version of a stored job. */
  save(id: string, job: AutoScanJob): Promise<void>;
  complete(id: string): Promise<void>;
  /** Gives a job up without completing it, so a shared store's sweep runs it again (no-op when completed). */
  release(id: string): Promise<void>;
  /** Takes a pending job for this process; false when another live process holds it. */
  claim(id: string): Promise<boolean>;
}

/** Where auto-scan work came from; a label on its failures. */
/** Where auto-scan work entered; `history`: a clean sighting's audit-trail write, in the background. */
export type Entry = 'messageCreate' | 'messageUpdate' | 'resume' | 'followUp' | 'history';

export interface AutoScanRuntime {
  readonly ctx: AppContext;
  readonly client: Client;
  readonly backlog: Backlog;
  /** Releases scans into the quota gate by turns of servers and authors. */
  readonly fair: FairQueue;
  /** Where jobs are recorded before their work starts and completed after it. */
  readonly jobs: AutoScanJobStore;
  readonly handled: HandledIndicators;
  /** Job ids this process is running or has scheduled. */
  readonly ownJobs: Set<string>;
  /** Unit of the follow-up backoff (see follow-up.ts); tests use milliseconds. */
  readonly retryBaseMs: number;
  /** How long one job may wait for downloads and VirusTotal before its rest is followed up. */
  readonly jobDeadlineMs: number;
  /** Runs `work` under the one catch site of auto-scan, tracked so a stop can wait for it. */
  track(entry: Entry, fields: Record<string, unknown>, work: () => Promise<void>): void;
  /** Runs a stored follow-up at its `notBefore`. */
  schedule(jobId: string, job: AutoScanJob): void;
}
