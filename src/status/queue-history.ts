/**
 * The quota queue over the last hour, for the status page's chart: every `intervalMs` one sample of
 * how many requests wait and how long those granted since the last sample waited on average.
 * A bounded ring: an hour of samples, whatever the uptime.
 */
import type { Metrics } from '../metrics.js';

export interface QueueSample {
  time: number;
  /** Requests waiting for a slot at that moment. */
  depth: number;
  /** Mean wait (seconds) of the requests granted since the previous sample; 0 when none. */
  waitSeconds: number;
}

export interface QueueHistoryOptions {
  metrics: Metrics;
  /** Requests waiting now. */
  depth: () => number;
  clock: () => number;
  /** Default 10 s. */
  intervalMs?: number;
  /** Default one hour. */
  spanMs?: number;
}

export class QueueHistory {
  readonly #samples: QueueSample[] = [];
  readonly #capacity: number;
  readonly intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #last = { count: 0, sum: 0 };

  constructor(private readonly options: QueueHistoryOptions) {
    this.intervalMs = options.intervalMs ?? 10_000;
    this.#capacity = Math.max(2, Math.ceil((options.spanMs ?? 3_600_000) / this.intervalMs));
  }

  /** Takes a sample now and then every interval; the timer does not keep the process alive. */
  start(): void {
    if (this.#timer !== undefined) return;
    void this.sample();
    this.#timer = setInterval(() => void this.sample(), this.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async sample(): Promise<void> {
    const totals = await this.options.metrics.totals('vtguard_queue_wait_seconds');
    const granted = totals.count - this.#last.count;
    const waitSeconds = granted > 0 ? (totals.sum - this.#last.sum) / granted : 0;
    this.#last = totals;
    this.#samples.push({ time: this.options.clock(), depth: this.options.depth(), waitSeconds });
    if (this.#samples.length > this.#capacity) this.#samples.splice(0, this.#samples.length - this.#capacity);
  }

  /** Oldest first. */
  samples(): QueueSample[] {
    return [...this.#samples];
  }
}
