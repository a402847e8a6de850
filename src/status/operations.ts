/**
 * The operations side of the bot, built once by app.ts: gauges read at scrape time, the store-write
 * probe, the queue history, and the HTTP server with `/healthz`, `/metrics` and the status page.
 */
import type { Config } from '../config.js';
import { startHealthServer, type HealthServer } from '../http-server.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/store.js';
import type { QuotaGateApi } from '../vt/quota.js';
import { QueueHistory } from './queue-history.js';
import type { RecentErrors } from './recent-errors.js';
import { statusPage } from './status-page.js';
import { StoreProbe } from './store-probe.js';

export interface OperationsOptions {
  config: Pick<Config, 'httpPort' | 'httpHost' | 'statusToken'>;
  log: Logger;
  metrics: Metrics;
  gate: QuotaGateApi;
  store: Store;
  recentErrors: RecentErrors;
  clock: () => number;
  /** Whether the Discord gateway session is ready. */
  connected: () => boolean;
  /** How often the queue chart takes a sample; default 10 s. */
  sampleMs?: number | undefined;
  /** Why the bot works but not fully (e.g. auto-scan keeps jobs in memory), or null. */
  degraded?: () => string | null;
  /** Why the shared store is out of reach (Redis lost), or null; a SQLite store has none. */
  storeProblem?: () => string | null;
}

export class Operations {
  readonly #probe: StoreProbe;
  readonly #queue: QueueHistory;
  #server: HealthServer | undefined;

  constructor(private readonly options: OperationsOptions) {
    const { metrics, gate, clock } = options;
    // The quota table: the gate writes it on every request, so it is the write that matters.
    this.#probe = new StoreProbe({ keyv: options.store.quota, metrics, clock: Date.now });
    this.#queue = new QueueHistory({ metrics, depth: () => gate.size, clock, ...(options.sampleMs === undefined ? {} : { intervalMs: options.sampleMs }) });
    metrics.gauge('vtguard_vt_queue_length', 'VirusTotal requests waiting for a quota slot (all priorities)', () => gate.size);
    metrics.beforeScrape(async () => {
      const usage = await gate.usage();
      for (const window of ['minute', 'day', 'month'] as const) {
        metrics.set('vtguard_quota_used', { window }, usage[window].used);
        metrics.set('vtguard_quota_limit', { window }, usage[window].limit);
      }
      for (const [priority, n] of Object.entries(gate.queuedByPriority())) metrics.set('vtguard_queue_length', { priority }, n);
      metrics.set('vtguard_gateway_connected', {}, options.connected() ? 1 : 0);
      await this.#probe.writable();
    });
  }

  /** The HTTP server's port, when HTTP_PORT is set and it started. */
  get port(): number | undefined {
    return this.#server?.port;
  }

  /** Starts sampling the queue and, when HTTP_PORT is set, the HTTP server. */
  async start(): Promise<void> {
    this.#queue.start();
    const { config, metrics, gate, clock, connected, log } = this.options;
    if (config.httpPort === undefined) return;
    this.#server = await startHealthServer({
      port: config.httpPort,
      host: config.httpHost,
      statusToken: config.statusToken,
      metrics,
      problem: async () => {
        if (!connected()) return 'not connected to Discord';
        const storeProblem = this.options.storeProblem?.() ?? null;
        if (storeProblem !== null) return storeProblem;
        return (await this.#probe.writable()) ? null : 'the store does not take writes';
      },
      ...(this.options.degraded ? { degraded: this.options.degraded } : {}),
      page: statusPage({
        usage: () => gate.usage(), metrics, queue: this.#queue, errors: this.options.recentErrors, clock, gatewayConnected: connected,
        storeWritable: () => this.#probe.writable(),
      }),
    });
    log.info({ host: this.#server.host, port: this.#server.port }, 'health server listening');
  }

  /** Stops sampling (the timer would otherwise read a closed gate). */
  stopSampling(): void {
    this.#queue.stop();
  }

  async close(): Promise<void> {
    this.stopSampling();
    await this.#server?.close();
  }
}
