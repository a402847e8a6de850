/**
 * What `GET /metrics` exposes, on a prom-client registry of its own (so tests can run several apps
 * in one process). Every series in METRIC_CATALOG exists from the start, at 0, for every value of its
 * bounded labels: an alert on `rate(...)` or `absent(...)` then works before the first event. The
 * metric names are a public contract (dashboards and alerts use them): README.md lists them.
 * Kept in memory: a restart starts the counters again, which Prometheus handles (counter resets).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';

type Labels = Readonly<Record<string, string>>;

interface Spec {
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  /** Each label with its bounded values; a series is pre-registered for every combination. */
  labels?: Readonly<Record<string, readonly string[]>>;
  buckets?: readonly number[];
}

const PRIORITIES = ['command', 'button', 'autoscan', 'poll'] as const;
const WINDOWS = ['minute', 'day', 'month'] as const;
const FAST_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const HOOK_DEADLINE_MS = 3000;
const WAIT_BUCKETS = [0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 900];

/** How a VirusTotal answer is counted: a status class, so the label stays bounded. */
export const VT_STATUSES = ['2xx', '404', '429', '4xx', '5xx', 'timeout', 'network', 'aborted'] as const;
export type VtStatus = (typeof VT_STATUSES)[number];

/** The `status` label of an HTTP status code. */
export function vtStatusOf(code: number): VtStatus {
  if (code >= 200 && code < 300) return '2xx';
  if (code === 404 || code === 429) return String(code) as VtStatus;
  return code >= 500 ? '5xx' : '4xx';
}

/** Every vtguard_ series the bot exports, besides those a caller of `inc` creates on first use. */
export function metricCatalog(options: { vtEndpoints: readonly string[]; interactions: readonly string[] }): Readonly<Record<string, Spec>> {
  return {
    vtguard_vt_requests_total: { type: 'counter', help: 'HTTP requests sent to VirusTotal, by endpoint and answer', labels: { endpoint: options.vtEndpoints, status: VT_STATUSES } },
    vtguard_vt_request_duration_seconds: { type: 'histogram', help: 'Time from sending a VirusTotal request to the last byte of its answer', labels: { endpoint: options.vtEndpoints }, buckets: FAST_BUCKETS },
    vtguard_quota_used: { type: 'gauge', help: 'VirusTotal requests counted in the current window', labels: { window: WINDOWS } },
    vtguard_quota_limit: { type: 'gauge', help: 'VirusTotal requests allowed per window (VT_RATE_PER_MINUTE, VT_QUOTA_PER_DAY, VT_QUOTA_PER_MONTH)', labels: { window: WINDOWS } },
    vtguard_queue_length: { type: 'gauge', help: 'VirusTotal requests waiting for a quota slot', labels: { priority: PRIORITIES } },
    vtguard_queue_wait_seconds: { type: 'histogram', help: 'Time a VirusTotal request waited for its quota slot', labels: { priority: PRIORITIES }, buckets: WAIT_BUCKETS },
    vtguard_rate_limited_total: { type: 'counter', help: 'Rate-limit answers (429) received from VirusTotal' },
    vtguard_cache_lookups_total: { type: 'counter', help: 'Report look-ups by where the answer came from: the cache, VirusTotal, or a look-up already in flight', labels: { result: ['hit', 'miss', 'joined'] } },
    vtguard_scans_total: {
      type: 'counter', help: 'Indicators scanned, by kind and outcome',
      labels: { kind: ['url', 'domain', 'ip', 'hash', 'file'], verdict: ['malicious', 'suspicious', 'clean', 'unknown', 'quota', 'error'] },
    },
    vtguard_interaction_duration_seconds: { type: 'histogram', help: 'Time from an interaction reaching the bot to its first response', labels: { interaction: options.interactions }, buckets: FAST_BUCKETS },
    vtguard_interactions_total: { type: 'counter', help: 'Interactions handled, by what they were and whether they succeeded', labels: { interaction: options.interactions, outcome: ['ok', 'failed'] } },
    vtguard_autoscan_refused_total: { type: 'counter', help: 'Auto-scan indicators not scanned because a bound was reached', labels: { reason: ['per-message', 'backlog'] } },
    vtguard_autoscan_attachments_skipped_total: { type: 'counter', help: 'Attachments not downloaded', labels: { reason: ['host', 'size', 'fetch', 'timeout', 'error'] } },
    vtguard_autoscan_indicators_total: { type: 'counter', help: 'Indicators auto-scanned' },
    vtguard_autoscan_answers_total: { type: 'counter', help: 'Auto-scanned message events by answer', labels: { answered: ['flagged', 'clean', 'silent', 'refused'] } },
    vtguard_autoscan_failures_total: { type: 'counter', help: 'Auto-scan failures, each logged with a reference id', labels: { entry: ['messageCreate', 'messageUpdate', 'resume', 'followUp', 'history'] } },
    vtguard_autoscan_gave_up_total: { type: 'counter', help: 'Auto-scan indicators left unchecked after every attempt failed' },
    vtguard_gateway_connected: { type: 'gauge', help: '1 while the Discord gateway session is ready' },
    vtguard_message_content_intent: { type: 'gauge', help: '1 when Discord granted the Message Content intent (auto-scan of links needs it)' },
    vtguard_store_writable: { type: 'gauge', help: '1 when the last probe write to the store succeeded in time' },
  };
}

export interface MetricsOptions {
  /** Values of the `endpoint` label (src/vt/endpoints.ts); pre-registered at 0. */
  vtEndpoints?: readonly string[];
  /** Interaction names (as the dispatcher counts them) pre-registered at 0. */
  interactions?: readonly string[];
  /** Process and Node metrics (memory, event-loop lag, GC, handles); default true. */
  defaultMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  readonly #scrapeHooks: Array<() => Promise<void> | void> = [];
  /** Counter and gauge values as set here, readable synchronously (prom-client reads are async). */
  readonly #mirror = new Map<string, number>();

  constructor(options: MetricsOptions = {}) {
    if (options.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      // GC series appear only after a collection of each kind; alerts want them from the start.
      const gc = this.registry.getSingleMetric('nodejs_gc_duration_seconds');
      if (gc instanceof Histogram) for (const kind of ['minor', 'major', 'incremental', 'weakcb']) gc.zero({ kind });
    }
    const catalog = metricCatalog({ vtEndpoints: options.vtEndpoints ?? ['other'], interactions: options.interactions ?? [] });
    for (const [name, spec] of Object.entries(catalog)) this.#define(name, spec);
  }

  /** Adds `by` (default 1) to a counter, created on first use when it is not in the catalog. */
  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const counter = this.registry.getSingleMetric(name) ?? this.#define(name, { type: 'counter', help, labels: labelSpec(labels) });
    if (!(counter instanceof Counter)) return;
    counter.inc(labels, by);
    const key = seriesKey(name, labels);
    this.#mirror.set(key, (this.#mirror.get(key) ?? 0) + by);
  }

  /** Sets a gauge of the catalog. */
  set(name: string, labels: Labels, value: number): void {
    const gauge = this.registry.getSingleMetric(name);
    if (!(gauge instanceof Gauge)) return;
    gauge.set(labels, value);
    this.#mirror.set(seriesKey(name, labels), value);
  }

  /** Records one observation (seconds) in a histogram of the catalog. */
  observe(name: string, labels: Labels, value: number): void {
    const histogram = this.registry.getSingleMetric(name);
    if (histogram instanceof Histogram) histogram.observe(labels, value);
  }

  /** Registers a gauge without labels whose value is read at scrape time. */
  gauge(name: string, help: string, read: () => number): void {
    this.registry.registerMetric(new Gauge({ name, help, registers: [], collect() { this.set(read()); } }));
  }

  /** Runs `hook` before every scrape (to read the quota, the queue, …); it should be quick. */
  beforeScrape(hook: () => Promise<void> | void): void {
    this.#scrapeHooks.push(hook);
  }

  /** The current value of a counter or gauge series set through this object (for tests and `/vt quota`); 0 when absent. */
  value(name: string, labels: Labels = {}): number {
    return this.#mirror.get(seriesKey(name, labels)) ?? 0;
  }

  /** Every series of a counter or gauge with its labels. */
  async series(name: string): Promise<Array<{ labels: Labels; value: number }>> {
    const metric = this.registry.getSingleMetric(name);
    if (metric === undefined) return [];
    const { values } = await metric.get();
    return values.map((v) => ({ labels: Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, String(x)])), value: v.value }));
  }

  /** A histogram's total count and sum of observations across all its labels. */
  async totals(name: string): Promise<{ count: number; sum: number }> {
    const metric = this.registry.getSingleMetric(name);
    if (metric === undefined) return { count: 0, sum: 0 };
    const { values } = await metric.get();
    let count = 0;
    let sum = 0;
    for (const v of values as Array<{ metricName?: string; value: number }>) {
      if (v.metricName === `${name}_count`) count += v.value;
      if (v.metricName === `${name}_sum`) sum += v.value;
    }
    return { count, sum };
  }

  /**
   * Prometheus exposition text, after the scrape hooks ran. A hook that fails or takes over 3 s is
   * left behind: its gauges keep their last values rather than the scrape hanging.
   */
  async render(): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, HOOK_DEADLINE_MS);
    });
    const hooks = Promise.all(this.#scrapeHooks.map((hook) => Promise.resolve().then(hook).catch(() => undefined)));
    await Promise.race([hooks, late]).finally(() => clearTimeout(timer));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #define(name: string, spec: Spec): Metric {
    const labelNames = Object.keys(spec.labels ?? {});
    const base = { name, help: spec.help, labelNames, registers: [this.registry] };
    const metric = spec.type === 'counter' ? new Counter(base) : spec.type === 'gauge' ? new Gauge(base) : new Histogram({ ...base, buckets: [...(spec.buckets ?? FAST_BUCKETS)] });
    for (const labels of combinations(spec.labels ?? {})) {
      if (metric instanceof Histogram) metric.zero(labels);
      else if (metric instanceof Counter) metric.inc(labels, 0);
      else metric.set(labels, 0);
    }
    return metric;
  }
}

function seriesKey(name: string, labels: Labels): string {
  return `${name}{${Object.keys(labels).sort().map((k) => `${k}=${labels[k] ?? ''}`).join(',')}}`;
}

function labelSpec(labels: Labels): Record<string, readonly string[]> {
  return Object.fromEntries(Object.keys(labels).map((k) => [k, []]));
}

/** Every combination of the labels' values; one empty set when there are no labels. */
function combinations(labels: Readonly<Record<string, readonly string[]>>): Array<Record<string, string>> {
  let out: Array<Record<string, string>> = [{}];
  for (const [name, values] of Object.entries(labels)) out = out.flatMap((partial) => values.map((v) => ({ ...partial, [name]: v })));
  return out;
}
