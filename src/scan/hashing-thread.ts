/**
 * One worker thread per process that hashes and writes spooled downloads, so the main thread only
 * reads the socket: on two cores, sha256 and the page-cache copy of a file then run beside the
 * download instead of after each chunk of it (figures in README, "Performance"). It is started on
 * first use and kept while files keep coming: starting a thread costs tens of milliseconds. An idle
 * thread holds ~14 MB, so it stops after IDLE_STOP_MS without a job. It holds the event loop open
 * only while a job is running; a thread that dies fails its jobs and is started anew next time.
 */
import { Worker } from 'node:worker_threads';
import { HASHING_THREAD_SOURCE } from './hashing-thread-source.js';

/** What a job's owner hears from the hashing thread. */
export interface HashJobEvents {
  /** A slab handed over with `write` is back, hashed and written, and may be filled again. */
  slabReturned(slab: ArrayBuffer): void;
  /** A write failed or the thread stopped; the job's fd is not touched any more. */
  failed(error: Error): void;
}

/** One file being hashed and written by the hashing thread. */
export interface HashJob {
  /**
   * Hands the first `length` bytes of `slab` over, to be hashed in order and written at `position`.
   * The slab is transferred (detached here) until `slabReturned` gives it back.
   */
  write(slab: ArrayBuffer, length: number, position: number): void;
  /** The sha256 (hex) of everything handed over, once all of it is written. */
  finish(): Promise<string>;
  /** Abandons the job; resolves once the thread will not touch its fd again. */
  drop(): Promise<void>;
}

/** A burst of attachments reuses one thread; an idle bot does not keep one. */
const IDLE_STOP_MS = 30_000;

type Reply =
  | { job: number; kind: 'slab'; slab: ArrayBuffer }
  | { job: number; kind: 'error'; code: string }
  | { job: number; kind: 'digest'; sha256: string }
  | { job: number; kind: 'dropped' };

interface JobState {
  events: HashJobEvents;
  /** Set by finish/drop: settles on the thread's last answer for the job. */
  ending?: (sha256: string | undefined) => void;
  error?: Error;
}

class HashingThread {
  // No execArgv: the thread needs no loader, and an inherited --input-type=module would break its CommonJS.
  private readonly worker = new Worker(HASHING_THREAD_SOURCE, { eval: true, execArgv: [], name: 'vt-guard hashing' });
  private readonly jobs = new Map<number, JobState>();
  private nextJob = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly onStopped: () => void) {
    this.worker.on('message', (reply: Reply) => this.onReply(reply));
    // After the listener: adding one refs the thread's port again.
    this.worker.unref();
    // 'exit' follows 'error'; the jobs learn of it there, by the error's name only.
    let crash = '';
    this.worker.on('error', (error) => { crash = ` (${error.name})`; });
    this.worker.once('exit', () => {
      clearTimeout(this.idleTimer);
      onStopped();
      const stopped = new Error(`the hashing thread stopped${crash}`);
      for (const job of this.jobs.values()) this.end(job, stopped);
      this.jobs.clear();
    });
  }

  open(fd: number, events: HashJobEvents): HashJob {
    const id = this.nextJob++;
    const state: JobState = { events };
    this.jobs.set(id, state);
    clearTimeout(this.idleTimer);
    this.worker.ref();
    this.worker.postMessage({ op: 'open', job: id, fd });
    const ending = (op: 'finish' | 'drop'): Promise<string | undefined> => new Promise((resolve) => {
      if (!this.jobs.has(id)) return void resolve(undefined);
      state.ending = resolve;
      this.worker.postMessage({ op, job: id });
    });
    return {
      write: (slab, length, position) => this.worker.postMessage({ op: 'slab', job: id, slab, length, position }, [slab]),
      finish: async () => {
        const sha256 = await ending('finish');
        if (sha256 === undefined) throw state.error ?? new Error('the hashing job was dropped');
        return sha256;
      },
      drop: async () => { await ending('drop'); },
    };
  }

  private onReply(reply: Reply): void {
    const job = this.jobs.get(reply.job);
    if (job === undefined) return;
    if (reply.kind === 'slab') return job.events.slabReturned(reply.slab);
    if (reply.kind === 'error') {
      job.error = new Error(reply.code);
      return job.events.failed(job.error);
    }
    this.jobs.delete(reply.job);
    if (this.jobs.size === 0) this.idle();
    job.ending?.(reply.kind === 'digest' ? reply.sha256 : undefined);
  }

  /** No job left: the thread no longer holds the process open, and stops if none comes soon. */
  private idle(): void {
    this.worker.unref();
    this.idleTimer = setTimeout(() => {
      // Forgotten first, so a job opened from now on starts a new thread instead of joining this one.
      this.onStopped();
      void this.worker.terminate();
    }, IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  /** The thread is gone: the job hears of it, and whoever waits for its end is answered. */
  private end(job: JobState, error: Error): void {
    job.error ??= error;
    job.events.failed(error);
    job.ending?.(undefined);
  }
}

let thread: HashingThread | undefined;

/** Whether the hashing thread is running now (it is started on first use and stops when idle). */
export function hashingThreadRunning(): boolean {
  return thread !== undefined;
}

/**
 * Starts hashing a file that is being written to the open `fd`, on the process's hashing thread
 * (started on first use). The caller keeps `fd` open until `finish` or `drop` has settled.
 */
export function startHashJob(fd: number, events: HashJobEvents): HashJob {
  const started = thread ?? new HashingThread(() => { if (thread === started) thread = undefined; });
  thread = started;
  return started.open(fd, events);
}
