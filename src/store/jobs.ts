/**
 * Pending work that must survive a restart (auto-scans not yet answered, analyses not yet polled).
 * A job is written before the work starts and removed when it is done, so after a crash
 * `pending()` lists exactly what still needs an answer. Which process runs a job is settled by
 * {@link JobClaims} (job-claims.ts): a new job is claimed before it is stored, and a pending job is
 * run only by the process that claims it.
 */
import { randomUUID } from 'node:crypto';
import type { Keyv } from 'keyv';
import { localClaims, type JobClaims } from './job-claims.js';

/** A stored job. */
export interface Job<T> {
  id: string;
  payload: T;
  /** ms since the epoch. */
  createdAt: number;
}

/** Turns a stored payload back into `T`; `undefined` drops it (old or damaged data). */
export type PayloadParser<T> = (raw: unknown) => T | undefined;

export class JobStore<T> {
  /**
   * @param keyv the store's `jobs` namespace
   * @param name the queue; queues sharing a keyv don't see each other's jobs
   * @param parse validates payloads read back (default: accept as is, for `unknown`)
   * @param claims who runs which job (default: this process runs them all)
   */
  constructor(
    private readonly keyv: Keyv,
    private readonly name = 'default',
    private readonly parse: PayloadParser<T> = (raw) => raw as T,
    readonly claims: JobClaims = localClaims(),
  ) {}

  /** Another queue on the same table, e.g. `store.jobs.queue('analyses', parseAnalysis)`. */
  queue<U>(name: string, parse: PayloadParser<U>): JobStore<U> {
    if (!/^[a-z0-9-]+$/.test(name)) throw new RangeError(`Expected a queue name of a-z, 0-9 and -, got ${name}`);
    return new JobStore<U>(this.keyv, name, parse, this.claims);
  }

  /**
   * Stores the job, claimed by this process (claimed first: a stored job nobody holds is up for
   * takeover); returns its id.
   * @param id a caller-chosen id (a job kept in memory while the store failed is stored under the
   *   id its work already uses); a fresh UUID by default
   */
  async add(payload: T, id: string = randomUUID()): Promise<string> {
    await this.claims.claim(this.key(id));
    await this.keyv.set(this.key(id), { payload, createdAt: Date.now() });
    return id;
  }

  /**
   * Takes a pending job for this process. False when another live process holds it; with a
   * shared store, a job whose holder died is free again once its lease expired.
   */
  claim(id: string): Promise<boolean> {
    return this.claims.claim(this.key(id));
  }

  /** Gives a job up without completing it, so it is run again (here or by another process). */
  release(id: string): Promise<void> {
    return this.claims.release(this.key(id));
  }

  /** Removes a finished job (no-op when already gone) and its claim. */
  async complete(id: string): Promise<void> {
    await this.keyv.delete(this.key(id));
    await this.claims.release(this.key(id));
  }

  /** Every job of this queue still pending, oldest first. Unreadable ones are removed. */
  async pending(): Promise<Array<Job<T>>> {
    const prefix = `${this.name}/`;
    const jobs: Array<Job<T>> = [];
    const unreadable: string[] = [];
    if (this.keyv.iterator === undefined) throw new Error('This store cannot list jobs (its adapter has no iterator)');
    for await (const entry of this.keyv.iterator(this.keyv.namespace)) {
      const [key, value] = entry as [unknown, unknown];
      if (typeof key !== 'string' || !key.startsWith(prefix)) continue;
      const id = key.slice(prefix.length);
      const job = this.read(id, value);
      if (job === undefined) unreadable.push(id);
      else jobs.push(job);
    }
    await Promise.all(unreadable.map((id) => this.complete(id)));
    return jobs.sort((a, b) => a.createdAt - b.createdAt);
  }

  private read(id: string, value: unknown): Job<T> | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const { payload, createdAt } = value as { payload?: unknown; createdAt?: unknown };
    if (typeof createdAt !== 'number') return undefined;
    const parsed = this.parse(payload);
    return parsed === undefined ? undefined : { id, payload: parsed, createdAt };
  }

  private key(id: string): string {
    return `${this.name}/${id}`;
  }
}
