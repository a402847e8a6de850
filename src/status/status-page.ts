/**
 * Gathers what the status page shows from the running bot (the gate, the metrics, the rings) and
 * renders it. app.ts hands the result to the HTTP server as the `/` route.
 */
import type { Metrics } from '../metrics.js';
import { renderStatusPage, type StatusData } from './page.js';
import type { QueueHistory } from './queue-history.js';
import type { RecentErrors } from './recent-errors.js';

export interface StatusSources {
  usage: () => Promise<StatusData['quota']>;
  metrics: Metrics;
  queue: QueueHistory;
  errors: RecentErrors;
  gatewayConnected: () => boolean;
  storeWritable: () => Promise<boolean>;
  clock: () => number;
}

const VERDICTS = ['malicious', 'suspicious', 'clean', 'unknown', 'quota', 'error'];

export function statusPage(sources: StatusSources): () => Promise<string> {
  return async () => {
    const [quota, storeWritable, scans, lookups] = await Promise.all([
      sources.usage(), sources.storeWritable(), sources.metrics.series('vtguard_scans_total'), sources.metrics.series('vtguard_cache_lookups_total'),
    ]);
    const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, scans.filter((s) => s.labels.verdict === v).reduce((a, s) => a + s.value, 0)]));
    const lookup = (result: string): number => lookups.find((s) => s.labels.result === result)?.value ?? 0;
    return renderStatusPage({
      now: sources.clock(),
      quota,
      gatewayConnected: sources.gatewayConnected(),
      storeWritable,
      queue: sources.queue.samples(),
      verdicts,
      cache: { hit: lookup('hit'), miss: lookup('miss'), joined: lookup('joined') },
      errors: sources.errors.list(),
      refreshSeconds: Math.max(5, Math.round(sources.queue.intervalMs / 1000)),
    });
  };
}
