/**
 * Auto-scan's jobs when the store may stop taking writes (a full disk, a read-only remount, a
 * locked file). A job that cannot be stored is kept in memory and its message is scanned and
 * answered anyway: losing the message would be worse than losing the crash-safety of one job. The
 * writes are retried with a growing pause; until one succeeds `writable` is false, which /healthz
 * reports as degraded (app.ts), so an operator learns of it before a restart loses those jobs.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { JobStore } from '../store/jobs.js';
import type { AutoScanJob } from './jobs.js';
import type { AutoScanJobStore } from './runtime.js';

export const DEFAULT_STORE_RETRY_MS = 1_000;
/** The pause between retries doubles up to this. */
const LONGEST_RETRY_MS = 60_000;

export class DurableJobs implements AutoScanJobStore {
  /** Jobs running now that the store has not taken yet, by id. */
  readonly #unsaved = new Map<string, AutoScanJob>();
  /** Finished jobs the store still lists (their removal failed). */
  readonly #unremoved = new Set<string>();
  #writable = true;
  #pause: number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly store: JobStore<AutoScanJob>,
    private readonly probe: JobStore<unknown>,
    private readonly log: Logger,
    private readonly retryMs = DEFAULT_STORE_RETRY_MS,
  ) {
    this.#pause = retryMs;
  }

  /** False from a failed write until a write succeeds again. */
  get writable(): boolean {
    return this.#writable;
  }

  /** Never throws: a job the store refuses is kept in memory under the returned id. */
  async add(job: AutoScanJob): Promise<string> {
    const id = randomUUID();
    try {
      await this.store.add(job, id);
      this.#succeeded();
    } catch (error) {
      this.#unsaved.set(id, job);
      this.#failed(error, 'could not store an auto-scan job; keeping it in memory and scanning anyway');
    }
    return id;
  }

  /** Never throws: a new version the store refuses replaces the copy in memory, if any; else the old version stays. */
  async save(id: string, job: AutoScanJob): Promise<void> {
    if (this.#unsaved.has(id)) {
      this.#unsaved.set(id, job);
      return;
    }
    try {
      await this.store.add(job, id);
      this.#succeeded();
    } catch (error) {
      this.#failed(error, 'could not update an auto-scan job; retrying other writes');
    }
  }

  /** Never throws: a removal the store refuses is retried with the writes. */
  async complete(id: string): Promise<void> {
    if (this.#unsaved.delete(id)) return;
    try {
      await this.store.complete(id);
    } catch (error) {
      this.#unremoved.add(id);
      this.#failed(error, 'could not complete an auto-scan job; retrying');
    }
  }

  /** Lets a job's claim go without completing it (a job kept only in memory has none). */
  async release(id: string): Promise<void> {
    if (this.#unsaved.has(id)) return;
    await this.store.release(id);
  }

  /** Takes a pending job for this process; a job kept only in memory is this process's already. */
  async claim(id: string): Promise<boolean> {
    if (this.#unsaved.has(id)) return true;
    return this.store.claim(id);
  }

  /** Shutdown: jobs still only in memory are lost with the process (their messages were answered or are being). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #succeeded(): void {
    if (this.#writable) return;
    this.#writable = true;
    this.#pause = this.retryMs;
    this.log.info({ module: 'autoscan' }, 'the store takes writes again');
  }

  #failed(error: unknown, msg: string): void {
    if (this.#writable) this.log.error({ module: 'autoscan', err: error }, msg);
    this.#writable = false;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#retry();
    }, this.#pause);
    this.#timer.unref();
    this.#pause = Math.min(this.#pause * 2, LONGEST_RETRY_MS);
  }

  /** Writes what is waiting; with nothing waiting, a probe write tells whether the store recovered. */
  async #retry(): Promise<void> {
    try {
      for (const [id, job] of [...this.#unsaved]) {
        await this.store.add(job, id);
        // Finished while it was being written: remove it again, or a restart would run it twice.
        if (!this.#unsaved.delete(id)) this.#unremoved.add(id);
      }
      for (const id of [...this.#unremoved]) {
        await this.store.complete(id);
        this.#unremoved.delete(id);
      }
      const probeId = await this.probe.add({ probe: true });
      await this.probe.complete(probeId);
      this.#succeeded();
    } catch (error) {
      this.log.warn({ module: 'autoscan', err: error, unsaved: this.#unsaved.size }, 'the store still refuses writes');
      this.#schedule();
    }
  }
}
