/**
 * Whether the store still takes a write: /healthz asks, and vtguard_store_writable shows it. A full
 * disk or a locked file would otherwise show only as failed scans. One small write under a deadline;
 * answers are reused for a second so a flood of /healthz requests costs one write a second.
 */
import type { Keyv } from 'keyv';
import { deadline } from '../core/timers.js';
import type { Metrics } from '../metrics.js';

const PROBE_KEY = '__health_probe__';

export interface StoreProbeOptions {
  /** The table written to (the quota table: the one the gate writes on every request). */
  keyv: Keyv;
  metrics: Metrics;
  clock: () => number;
  /** Default 2 s: a store that takes longer is not healthy. */
  timeoutMs?: number;
  /** How long an answer is reused; default 1 s. */
  reuseMs?: number;
}

export class StoreProbe {
  #last: { at: number; ok: boolean } | undefined;
  #running: Promise<boolean> | undefined;

  constructor(private readonly options: StoreProbeOptions) {}

  /** True when a write succeeded within the deadline. Never rejects. */
  writable(): Promise<boolean> {
    const now = this.options.clock();
    if (this.#last !== undefined && now - this.#last.at < (this.options.reuseMs ?? 1000)) return Promise.resolve(this.#last.ok);
    this.#running ??= this.#probe().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #probe(): Promise<boolean> {
    const limit = deadline(this.options.timeoutMs ?? 2000);
    let ok: boolean;
    try {
      // A write that loses the race must not become an unhandled rejection later.
      const write = this.options.keyv.set(PROBE_KEY, this.options.clock()).catch(() => false);
      const expired = new Promise<never>((_resolve, reject) => {
        limit.signal.addEventListener('abort', () => reject(new Error('store write timed out')), { once: true });
      });
      ok = (await Promise.race([write, expired])) === true;
    } catch {
      ok = false;
    } finally {
      limit.dispose();
    }
    this.#last = { at: this.options.clock(), ok };
    this.options.metrics.set('vtguard_store_writable', {}, ok ? 1 : 0);
    return ok;
  }
}
