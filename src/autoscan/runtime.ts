/**
 * What the auto-scan of one client remembers while it runs: the backlog bound, which indicators each
 * recent message has already been answered for, and which stored jobs this process owns (so the
 * start-up resume never runs a job a live listener is already running).
 */
import type { Client } from 'discord.js';
import { Backlog } from './backlog.js';
import { DEFAULT_RETRY_BASE_MS } from './follow-up.js';

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

export interface AutoScanRuntime {
  backlog: Backlog;
  handled: HandledIndicators;
  /** Job ids created by this process's listeners. */
  ownJobs: Set<string>;
  /** Scans in progress, so tests and shutdown can wait for them. */
  inFlight: Set<Promise<void>>;
  /**
   * Unit of the follow-up backoff (see follow-up.ts); tests use milliseconds. A follow-up counts
   * in `inFlight` only while it runs: one waiting for its time is stored, so a stop does not wait
   * for it and the next start resumes it.
   */
  retryBaseMs: number;
  /** Follow-ups waiting for their time; cleared by {@link stopFollowUps}. */
  timers: Set<NodeJS.Timeout>;
}

// app.ts calls registerAutoScan(ctx, client) and later resumePendingScans(ctx, client) as two
// functions; the client is what ties them together. A WeakMap keeps no client alive.
const runtimes = new WeakMap<Client, AutoScanRuntime>();

export function runtimeOf(client: Client): AutoScanRuntime {
  let runtime = runtimes.get(client);
  if (!runtime) {
    runtime = {
      backlog: new Backlog(),
      handled: new HandledIndicators(),
      ownJobs: new Set(),
      inFlight: new Set(),
      retryBaseMs: DEFAULT_RETRY_BASE_MS,
      timers: new Set(),
    };
    runtimes.set(client, runtime);
  }
  return runtime;
}

/** Resolves once every auto-scan running now has answered (or given up). */
export async function autoScanIdle(client: Client): Promise<void> {
  const runtime = runtimes.get(client);
  while (runtime && runtime.inFlight.size > 0) await Promise.allSettled([...runtime.inFlight]);
}

/** Shutdown: waiting follow-ups stay stored as jobs and are resumed by the next start. */
export function stopFollowUps(client: Client): void {
  const runtime = runtimes.get(client);
  if (!runtime) return;
  for (const timer of runtime.timers) clearTimeout(timer);
  runtime.timers.clear();
}
