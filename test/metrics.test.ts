import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics, metricCatalog, vtStatusOf } from '../src/metrics.js';
import { endpointOf, V2_ENDPOINTS, V3_ENDPOINTS } from '../src/vt/endpoints.js';
import { startCommandHarness, type CommandHarness } from './support/command-harness.js';
import { SEED } from './support/vt-double.js';
import { parseProm, sampleOf, type PromSample } from './status/prom-text.js';

/** The names the issue promises (a public contract: dashboards use them). */
const CONTRACT = [
  'vtguard_vt_requests_total', 'vtguard_vt_request_duration_seconds', 'vtguard_quota_used', 'vtguard_quota_limit', 'vtguard_queue_length',
  'vtguard_queue_wait_seconds', 'vtguard_rate_limited_total', 'vtguard_cache_lookups_total', 'vtguard_scans_total',
  'vtguard_interaction_duration_seconds', 'vtguard_interactions_total', 'vtguard_gateway_connected', 'vtguard_message_content_intent',
  'vtguard_store_writable', 'vtguard_autoscan_failures_total', 'vtguard_autoscan_answers_total',
];

describe('the registry', () => {
  it('has every contract series from the start, counters at 0, and the process and Node metrics', async () => {
    const samples = parseProm(await new Metrics({ vtEndpoints: V3_ENDPOINTS, interactions: ['/vt hash'] }).render());
    const names = new Set(samples.map((s) => s.name.replace(/_(bucket|sum|count)$/, '')));
    for (const name of CONTRACT) expect(names, name).toContain(name);
    for (const name of ['process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_gc_duration_seconds', 'nodejs_active_handles_total']) {
      expect(names, name).toContain(name);
    }
    expect(sampleOf(samples, 'vtguard_vt_requests_total', { endpoint: 'votes', status: '429' })).toBe(0);
    expect(sampleOf(samples, 'vtguard_scans_total', { kind: 'file', verdict: 'malicious' })).toBe(0);
    expect(sampleOf(samples, 'vtguard_cache_lookups_total', { result: 'joined' })).toBe(0);
    expect(sampleOf(samples, 'vtguard_rate_limited_total')).toBe(0);
    expect(sampleOf(samples, 'vtguard_queue_wait_seconds_count', { priority: 'autoscan' })).toBe(0);
    expect(sampleOf(samples, 'vtguard_interaction_duration_seconds_count', { interaction: '/vt hash' })).toBe(0);
    expect(sampleOf(samples, 'vtguard_interactions_total', { interaction: '/vt hash', outcome: 'failed' })).toBe(0);
    // Every labelled counter of the catalog has each combination of its values.
    const catalog = metricCatalog({ vtEndpoints: V3_ENDPOINTS, interactions: ['/vt hash'] });
    for (const [name, spec] of Object.entries(catalog).filter(([, s]) => s.type === 'counter')) {
      const combos = Object.values(spec.labels ?? {}).reduce((n, values) => n * values.length, 1);
      expect(samples.filter((s) => s.name === name).length, name).toBe(combos);
    }
  });

  it('keeps the inc(name, help, labels, n) shape, for catalog counters and new ones alike', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.inc('vtguard_autoscan_refused_total', 'ignored: the catalog has the help', { reason: 'backlog' }, 3);
    metrics.inc('vtguard_something_new_total', 'A counter nobody declared', { kind: 'a "quoted" value' });
    metrics.inc('vtguard_something_new_total', 'A counter nobody declared', { kind: 'a "quoted" value' });
    expect(metrics.value('vtguard_autoscan_refused_total', { reason: 'backlog' })).toBe(3);
    const text = await metrics.render();
    expect(text).toContain('# TYPE vtguard_something_new_total counter');
    expect(sampleOf(parseProm(text), 'vtguard_something_new_total', { kind: 'a "quoted" value' })).toBe(2);
    expect(sampleOf(parseProm(text), 'vtguard_autoscan_refused_total', { reason: 'per-message' })).toBe(0);
  });

  it('labels endpoints with bounded words, never an id', () => {
    const hash = SEED.eicar.sha256;
    expect(endpointOf(3, `/files/${hash}`)).toBe('files');
    expect(endpointOf(3, `/files/${hash}/votes`)).toBe('votes');
    expect(endpointOf(3, `/urls/abc/comments`)).toBe('comments');
    expect(endpointOf(3, '/files/upload_url')).toBe('upload_url');
    expect(endpointOf(3, `/files/${hash}/analyse`)).toBe('analyse');
    expect(endpointOf(3, '/ip_addresses/8.8.8.8')).toBe('ip_addresses');
    expect(endpointOf(3, 'https://upload.example/_ah/upload/xyz')).toBe('upload');
    expect(endpointOf(3, `/intelligence/${hash}`)).toBe('other');
    expect(endpointOf(3, `/files/${hash}/${hash}`)).toBe('other');
    expect(endpointOf(2, '/ip-address/report')).toBe('v2_ip_address_report');
    expect(endpointOf(2, '/file/scan/upload_url')).toBe('v2_file_scan_upload_url');
    expect(endpointOf(2, `/file/${hash}`)).toBe('other');
    for (const label of [...V3_ENDPOINTS, ...V2_ENDPOINTS]) expect(label).toMatch(/^[a-z0-9_]+$/);
    expect([200, 204, 301, 400, 404, 429, 500, 503].map(vtStatusOf)).toEqual(['2xx', '2xx', '4xx', '4xx', '404', '429', '5xx', '5xx']);
  });
});

describe('GET /metrics of the running bot', () => {
  let h: CommandHarness;
  let base: string;
  const scrape = async (): Promise<PromSample[]> => parseProm(await (await fetch(`${base}/metrics`)).text());
  beforeAll(async () => {
    h = await startCommandHarness({ env: { HTTP_PORT: '0' } });
    base = `http://127.0.0.1:${String(h.app.httpPort)}`;
  });
  afterAll(async () => h.close());

  it('counts a /vt hash end to end: request, wait, scan, cache, interaction, quota, gateway, store', async () => {
    const before = await scrape();
    expect(sampleOf(before, 'vtguard_gateway_connected')).toBe(1);
    expect(sampleOf(before, 'vtguard_message_content_intent')).toBe(1);
    expect(sampleOf(before, 'vtguard_store_writable')).toBe(1);
    expect(sampleOf(before, 'vtguard_quota_limit', { window: 'minute' })).toBe(10_000);
    expect(sampleOf(before, 'vtguard_vt_requests_total', { endpoint: 'files', status: '2xx' })).toBe(0);

    const run = async (): Promise<void> => {
      const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
      await h.sent(handle, (b) => b.embeds?.some((e) => e.title === 'File · malicious') === true);
    };
    await run();
    await run(); // from the cache this time
    // An interaction is counted once its handler returns, a moment after the reply the test saw.
    let after = await scrape();
    for (const deadline = Date.now() + 5_000; sampleOf(after, 'vtguard_interactions_total', { interaction: '/vt hash', outcome: 'ok' }) < 2 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await scrape();
    }
    expect(h.vt.requestsTo(/\/api\/v3\/files\//).length).toBe(1);
    expect(sampleOf(after, 'vtguard_vt_requests_total', { endpoint: 'files', status: '2xx' })).toBe(1);
    expect(sampleOf(after, 'vtguard_vt_request_duration_seconds_count', { endpoint: 'files' })).toBe(1);
    expect(sampleOf(after, 'vtguard_queue_wait_seconds_count', { priority: 'command' })).toBe(1);
    expect(sampleOf(after, 'vtguard_quota_used', { window: 'minute' })).toBe(1);
    expect(sampleOf(after, 'vtguard_quota_used', { window: 'day' })).toBe(1);
    expect(sampleOf(after, 'vtguard_cache_lookups_total', { result: 'miss' })).toBe(1);
    expect(sampleOf(after, 'vtguard_cache_lookups_total', { result: 'hit' })).toBe(1);
    expect(sampleOf(after, 'vtguard_scans_total', { kind: 'hash', verdict: 'malicious' })).toBe(2);
    expect(sampleOf(after, 'vtguard_interactions_total', { interaction: '/vt hash', outcome: 'ok' })).toBe(2);
    expect(sampleOf(after, 'vtguard_interaction_duration_seconds_count', { interaction: '/vt hash' })).toBe(2);
    // No id, hash or URL ever becomes a label value.
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).not.toContain(SEED.eicar.sha256);
  });

  it('counts 429s and labels them', async () => {
    const hash = SEED.eicar.sha256.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    h.vt.fault({ path: /\/api\/v3\/files\//, method: 'GET' }, { status: 429, body: { error: { code: 'TooManyRequestsError', message: 'slow down' } }, headers: { 'retry-after': '0' } });
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash } });
    await h.sent(handle, (b) => (b.embeds?.length ?? 0) > 0 && b.embeds?.[0]?.title?.startsWith('File') === true, 15_000);
    const after = await scrape();
    expect(sampleOf(after, 'vtguard_rate_limited_total')).toBe(1);
    expect(sampleOf(after, 'vtguard_vt_requests_total', { endpoint: 'files', status: '429' })).toBe(1);
    expect(sampleOf(after, 'vtguard_vt_requests_total', { endpoint: 'files', status: '404' })).toBe(1);
  });
});

describe('the queue gauges of the running bot', () => {
  it('show a command waiting for a slot under its priority', async () => {
    const h = await startCommandHarness({ env: { HTTP_PORT: '0', VT_RATE_PER_MINUTE: '1' } });
    try {
      const scrape = async (): Promise<PromSample[]> => parseProm(await (await fetch(`http://127.0.0.1:${String(h.app.httpPort)}/metrics`)).text());
      const first = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
      await h.sent(first, (b) => b.embeds?.some((e) => e.title === 'File · malicious') === true);
      await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.md5.padEnd(64, '0') } });
      let samples = await scrape();
      for (let i = 0; i < 50 && sampleOf(samples, 'vtguard_queue_length', { priority: 'command' }) === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        samples = await scrape();
      }
      expect(sampleOf(samples, 'vtguard_queue_length', { priority: 'command' })).toBe(1);
      expect(sampleOf(samples, 'vtguard_queue_length', { priority: 'autoscan' })).toBe(0);
      expect(sampleOf(samples, 'vtguard_quota_used', { window: 'minute' })).toBe(1);
      expect(sampleOf(samples, 'vtguard_quota_limit', { window: 'minute' })).toBe(1);
    } finally {
      await h.close();
    }
  });
});

describe('the v2 API', () => {
  it('labels its requests with v2 endpoint words, pre-registered at 0', async () => {
    const h = await startCommandHarness({ env: { HTTP_PORT: '0', VT_API_VERSION: '2' } });
    try {
      const scrape = async (): Promise<PromSample[]> => parseProm(await (await fetch(`http://127.0.0.1:${String(h.app.httpPort)}/metrics`)).text());
      expect(sampleOf(await scrape(), 'vtguard_vt_requests_total', { endpoint: 'v2_url_scan', status: '2xx' })).toBe(0);
      const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
      await h.sent(handle, (b) => b.embeds?.some((e) => e.title === 'File · malicious') === true);
      const after = await scrape();
      expect(sampleOf(after, 'vtguard_vt_requests_total', { endpoint: 'v2_file_report', status: '2xx' })).toBe(1);
      expect(after.some((s) => s.labels.endpoint === 'files')).toBe(false);
    } finally {
      await h.close();
    }
  });
});

describe('a scrape', () => {
  it('does not hang on a stuck scrape hook, and a failing one costs only its own gauges', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.beforeScrape(() => new Promise(() => undefined));
    metrics.beforeScrape(() => Promise.reject(new Error('no quota today')));
    metrics.beforeScrape(() => metrics.set('vtguard_gateway_connected', {}, 1));
    const started = Date.now();
    const samples = parseProm(await metrics.render());
    expect(Date.now() - started).toBeLessThan(4500);
    expect(sampleOf(samples, 'vtguard_gateway_connected')).toBe(1);
  });
});
