/**
 * The small context the composition root (app.ts) hands to what needs it: no container, no
 * module-level singletons.
 */
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { Scanner } from './scan/scanner.js';
import type { Store } from './store/store.js';
import type { VtBackend } from './vt/backend.js';
import type { QuotaGateApi } from './vt/quota.js';

export interface AppContext {
  config: Config;
  log: Logger;
  store: Store;
  /** VirusTotal (v3 or v2); every call passes the quota gate. */
  vt: VtBackend;
  gate: QuotaGateApi;
  scanner: Scanner;
  /** Counters for `GET /metrics` (e.g. `ctx.metrics.inc('vtguard_interactions_total', 'Interactions handled', { outcome: 'ok' })`). */
  metrics: Metrics;
  /** Milliseconds since the epoch; tests may pass a controllable clock. */
  clock: () => number;
}
