import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Scanner, type ScannerOptions, type ScanOptions } from '../../src/scan/scanner.js';
import type { Indicator, Progress, SpooledFile } from '../../src/scan/outcome.js';
import { VtClient } from '../../src/vt/client.js';
import { openTestGate, type TestGate, type TestGateOptions } from '../support/gate.js';
import { SEED, startVtDouble, type VtDouble, type VtDoubleOptions } from '../support/vt-double.js';
import { AnalysisUnfinishedError } from '../../src/scan/scanner-poll.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Rig { vt: VtDouble; t: TestGate; client: VtClient; scanner: Scanner }

async function rig(gate: Partial<TestGateOptions> = {}, scanner: Partial<ScannerOptions> = {}, double: Partial<VtDoubleOptions> = {}): Promise<Rig> {
  const vt = await startVtDouble({ perWindow: 10_000, windowMs: 1000, perDay: 100_000, pollsUntilComplete: 2, ...double });
  cleanups.push(() => vt.close());
  const t = await openTestGate(gate);
  cleanups.push(() => t.close());
  const client = new VtClient({ apiKey: vt.apiKey, origin: vt.origin, gate: t.gate });
  cleanups.push(() => client.close());
  const s = new Scanner({ vt: client, store: t.store, cacheTtlMs: 60_000, pollMs: 10, ...scanner });
  cleanups.push(() => s.close());
  return { vt, t, client, scanner: s };
}

const ON = { submitUrls: true, uploadFiles: true };
const OFF = { submitUrls: false, uploadFiles: false };
const opts = (policy = ON, extra: Partial<ScanOptions> = {}): ScanOptions => ({ priority: 'command', policy, ...extra });

async function spool(content: string): Promise<SpooledFile> {
  const dir = await mkdtemp(join(tmpdir(), 'vt-guard-scan-'));
  const path = join(dir, 'upload.bin');
  await writeFile(path, content);
  const discard = (): Promise<void> => rm(dir, { recursive: true, force: true });
  cleanups.push(discard);
  return { sha256: createHash('sha256').update(content).digest('hex'), name: 'upload.bin', size: Buffer.byteLength(content), path, discard };
}

describe('Scanner', () => {
  it('answers a repeated look-up from the cache without a request', async () => {
    const { vt, scanner } = await rig();
    const domain: Indicator = { kind: 'domain', value: SEED.maliciousDomain };
    expect(await scanner.scan(domain, opts())).toMatchObject({ status: 'found', via: 'lookup', report: { id: SEED.maliciousDomain } });
    expect(await scanner.scan(domain, opts())).toMatchObject({ status: 'found', via: 'cache', report: { id: SEED.maliciousDomain, stats: { malicious: 9 } } });
    expect(vt.requests).toHaveLength(1);
  });

  it('peeks at the cache without a request: nothing on a miss, the cached outcome after a scan', async () => {
    const { vt, scanner } = await rig();
    const domain: Indicator = { kind: 'domain', value: SEED.maliciousDomain };
    expect(await scanner.peek(domain, ON)).toBeUndefined();
    expect(vt.requests).toHaveLength(0);
    await scanner.scan(domain, opts());
    expect(await scanner.peek(domain, ON)).toMatchObject({ status: 'found', via: 'cache', report: { id: SEED.maliciousDomain } });
    expect(vt.requests).toHaveLength(1);
  });

  it('peeks nothing where scan would submit or upload: a cached "not found" under submit_urls or upload_files', async () => {
    const { vt, scanner } = await rig();
    const url: Indicator = { kind: 'url', value: `https://${SEED.maliciousDomain}/never-seen` };
    await scanner.scan(url, opts(OFF));
    expect(await scanner.peek(url, ON)).toBeUndefined();
    // Without submit_urls, scan checks the host, whose report is now cached too.
    expect(await scanner.peek(url, OFF)).toMatchObject({ status: 'found', via: 'cache', lookedUpAs: { kind: 'domain', value: SEED.maliciousDomain } });
    const spooled = await spool('peek me');
    const file: Indicator = { kind: 'file', value: spooled.name, file: spooled };
    await scanner.scan(file, opts(OFF));
    expect(await scanner.peek(file, ON)).toBeUndefined();
    expect(await scanner.peek(file, OFF)).toEqual({ status: 'unknown', indicator: file, reason: 'not-submitted' });
    const before = vt.requests.length;
    await scanner.peek(url, OFF);
    expect(vt.requests).toHaveLength(before);
  });

  it('caches "not found" briefly: an unknown hash is asked once', async () => {
    const { vt, scanner } = await rig();
    const hash: Indicator = { kind: 'hash', value: 'a'.repeat(64) };
    expect(await scanner.scan(hash, opts())).toEqual({ status: 'unknown', indicator: hash, reason: 'not-submitted' });
    expect(await scanner.scan(hash, opts())).toEqual({ status: 'unknown', indicator: hash, reason: 'not-submitted' });
    expect(vt.requests).toHaveLength(1);
  });

  it('joins 20 concurrent look-ups of one hash into one request', async () => {
    const { vt, scanner } = await rig();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => scanner.scan({ kind: 'hash', value: SEED.eicar.md5 }, opts(ON, { priority: 'autoscan' }))));
    expect(outcomes.every((o) => o.status === 'found' && o.report.id === SEED.eicar.sha256)).toBe(true);
    expect(vt.requests).toHaveLength(1);
    // The report is also cached under its sha256.
    expect(await scanner.scan({ kind: 'hash', value: SEED.eicar.sha256 }, opts())).toMatchObject({ status: 'found', via: 'cache' });
  });

  it('submits an unknown URL and polls it to a report, reporting progress', async () => {
    const { vt, scanner } = await rig();
    const url = 'https://fresh.example.net/landing';
    vt.addUrl(url, { known: false, verdict: { malicious: 5, harmless: 60 } });
    const progress: Progress[] = [];
    const outcome = await scanner.scan({ kind: 'url', value: url }, opts(ON, { onProgress: (p) => progress.push(p) }));
    expect(outcome).toMatchObject({ status: 'found', via: 'submitted', report: { kind: 'url', stats: { malicious: 5 } } });
    expect(progress.map((p) => p.stage)).toEqual(['submitted', 'analysing', 'analysing']);
    expect(vt.requestsTo('/api/v3/urls', 'POST')).toHaveLength(1);
    expect(vt.requestsTo('/api/v3/urls', 'POST')[0]?.body).toMatchObject({ url });
    expect(await scanner.scan({ kind: 'url', value: url }, opts())).toMatchObject({ status: 'found', via: 'cache' });
  });

  it('checks the domain instead when submit_urls is off', async () => {
    const { vt, scanner } = await rig();
    const url = `http://${SEED.maliciousDomain}/never-seen-before`;
    const outcome = await scanner.scan({ kind: 'url', value: url }, opts(OFF));
    expect(outcome).toMatchObject({ status: 'found', via: 'lookup', lookedUpAs: { kind: 'domain', value: SEED.maliciousDomain }, report: { kind: 'domain' } });
    expect(vt.requestsTo('/api/v3/urls', 'POST')).toHaveLength(0);
  });

  it('looks a sensitive URL up by its domain only; the URL never reaches VirusTotal', async () => {
    const { vt, scanner } = await rig();
    const url = `https://${SEED.cleanDomain}/reset-password?token=9f8e7d6c5b4a39281706f5e4d3c2b1a0`;
    const outcome = await scanner.scan({ kind: 'url', value: url }, opts(ON));
    expect(outcome).toMatchObject({ status: 'found', lookedUpAs: { kind: 'domain', value: SEED.cleanDomain } });
    expect(vt.requests.map((r) => r.path)).toEqual([`/api/v3/domains/${SEED.cleanDomain}`]);
    expect(JSON.stringify(vt.requests)).not.toContain('9f8e7d6c5b4a39281706f5e4d3c2b1a0');
  });

  it('does not upload an unknown file when upload_files is off', async () => {
    const { vt, scanner } = await rig();
    const file = await spool('never seen by VirusTotal (off)\n');
    const outcome = await scanner.scan({ kind: 'file', value: file.name, file }, opts(OFF));
    expect(outcome).toMatchObject({ status: 'unknown', reason: 'not-submitted' });
    expect(vt.uploads).toHaveLength(0);
    expect(vt.requests.map((r) => r.path)).toEqual([`/api/v3/files/${file.sha256}`]);
  });

  it('uploads an unknown file when upload_files is on, then polls to its report', async () => {
    const { vt, scanner } = await rig();
    const file = await spool('never seen by VirusTotal (on)\n');
    const outcome = await scanner.scan({ kind: 'file', value: file.name, file }, opts(ON));
    expect(outcome).toMatchObject({ status: 'found', via: 'submitted', report: { kind: 'file', id: file.sha256 } });
    expect(vt.uploads.map((u) => u.sha256)).toEqual([file.sha256]);
  });

  it('rescans a known file when fresh, replacing the cached report', async () => {
    const { vt, scanner } = await rig();
    const hash: Indicator = { kind: 'hash', value: SEED.eicar.sha256 };
    await scanner.scan(hash, opts());
    const outcome = await scanner.scan(hash, opts(OFF, { fresh: true }));
    expect(outcome).toMatchObject({ status: 'found', via: 'submitted' });
    expect(vt.requestsTo(`/api/v3/files/${SEED.eicar.sha256}/analyse`, 'POST')).toHaveLength(1);
  });

  it('answers quota (sending nothing) once the day budget is spent', async () => {
    const { vt, scanner } = await rig({ perDay: 1 });
    await scanner.scan({ kind: 'ip', value: SEED.cleanIp }, opts());
    const outcome = await scanner.scan({ kind: 'ip', value: SEED.maliciousIp }, opts());
    expect(outcome.status).toBe('quota');
    if (outcome.status === 'quota') expect(Date.parse(outcome.resetAt)).toBeGreaterThan(Date.now());
    expect(vt.requests).toHaveLength(1);
  });

  it('reports the queue position while waiting for a slot', async () => {
    const { scanner } = await rig({ perMinute: 1, windowMs: 300 });
    const progress: Progress[] = [];
    await scanner.scan({ kind: 'ip', value: SEED.cleanIp }, opts());
    const second = await scanner.scan({ kind: 'ip', value: SEED.maliciousIp }, opts(ON, { onProgress: (p) => progress.push(p) }));
    expect(second.status).toBe('found');
    expect(progress[0]).toMatchObject({ stage: 'queued', position: 1 });
    if (progress[0]?.stage === 'queued') expect(progress[0].estimatedWaitMs).toBeGreaterThan(0);
  });

  it('never throws: a VirusTotal failure becomes an error outcome', async () => {
    const { vt, scanner } = await rig({ retry: { attempts: 1 } });
    vt.fault({ path: /\/ip_addresses\// }, { status: 500 });
    expect(await scanner.scan({ kind: 'ip', value: SEED.cleanIp }, opts())).toMatchObject({ status: 'error', error: { status: 500 } });
  });

  it('shows an answer with a mistyped counter, or about another object, as not checked and never caches it', async () => {
    const { vt, scanner } = await rig({ retry: { attempts: 1 } });
    const stats = { malicious: '60', suspicious: 0, undetected: 0, harmless: 1, timeout: 0 };
    vt.fault({ path: `/api/v3/ip_addresses/${SEED.cleanIp}` }, { status: 200, body: { data: { id: SEED.cleanIp, type: 'ip_address', attributes: { last_analysis_stats: stats } } } });
    const mistyped = await scanner.scan({ kind: 'ip', value: SEED.cleanIp }, opts());
    expect(mistyped).toMatchObject({ status: 'error', error: { name: 'MalformedResponseError' } });
    if (mistyped.status === 'error') expect(mistyped.error.message).toContain('last_analysis_stats.malicious as a non-negative integer');

    const clean = { malicious: 0, suspicious: 0, undetected: 10, harmless: 60, timeout: 0 };
    vt.fault({ path: `/api/v3/domains/${SEED.maliciousDomain}` }, { status: 200, body: { data: { id: SEED.cleanDomain, type: 'domain', attributes: { last_analysis_stats: clean } } } });
    const other = await scanner.scan({ kind: 'domain', value: SEED.maliciousDomain }, opts());
    expect(other).toMatchObject({ status: 'error', error: { name: 'MalformedResponseError' } });

    // Nothing of either was cached: the next scans ask again and get the real reports.
    expect(await scanner.scan({ kind: 'ip', value: SEED.cleanIp }, opts())).toMatchObject({ status: 'found', via: 'lookup', report: { stats: { harmless: 60 } } });
    expect(await scanner.scan({ kind: 'domain', value: SEED.maliciousDomain }, opts())).toMatchObject({ status: 'found', via: 'lookup', report: { stats: { malicious: 9 } } });
  });

  it('resumes polling a submission after a restart, without submitting again', async () => {
    const { vt, t, client, scanner } = await rig({}, { pollMs: 60_000 });
    const url = 'https://resumed.example.org/path';
    vt.addUrl(url, { known: false, verdict: { malicious: 7, harmless: 50 } });
    let submitted!: () => void;
    const wasSubmitted = new Promise<void>((r) => (submitted = r));
    const interrupted = scanner.scan({ kind: 'url', value: url }, opts(ON, { onProgress: (p) => p.stage === 'submitted' && submitted() }));
    await wasSubmitted;
    await new Promise((r) => setTimeout(r, 50)); // let the job be written
    await scanner.close();
    expect((await interrupted).status).toBe('error');

    const restarted = new Scanner({ vt: client, store: t.store, cacheTtlMs: 60_000, pollMs: 10 });
    cleanups.push(() => restarted.close());
    const resumed = await restarted.resume();
    expect(resumed.count).toBe(1);
    await resumed.finished;
    expect(await restarted.scan({ kind: 'url', value: url }, opts())).toMatchObject({ status: 'found', via: 'cache', report: { stats: { malicious: 7 } } });
    expect(vt.requestsTo('/api/v3/urls', 'POST')).toHaveLength(1);
    expect((await restarted.resume()).count).toBe(0);
  });

  it('keeps a submission for resume when the gate shuts down mid-poll (app stop order)', async () => {
    const { vt, t, client, scanner } = await rig({}, { pollMs: 200 });
    const url = 'https://shutdown.example.org/path';
    vt.addUrl(url, { known: false, verdict: { malicious: 3, harmless: 50 } });
    let submitted!: () => void;
    const wasSubmitted = new Promise<void>((r) => (submitted = r));
    const interrupted = scanner.scan({ kind: 'url', value: url }, opts(ON, { onProgress: (p) => p.stage === 'submitted' && submitted() }));
    await wasSubmitted;
    await t.gate.close(); // the first poll then meets a closed gate
    expect((await interrupted).status).toBe('error');

    const next = await openTestGate({ storeDir: t.storeDir });
    cleanups.push(() => next.close());
    const nextClient = new VtClient({ apiKey: vt.apiKey, origin: vt.origin, gate: next.gate });
    cleanups.push(() => nextClient.close());
    const restarted = new Scanner({ vt: nextClient, store: next.store, cacheTtlMs: 60_000, pollMs: 10 });
    cleanups.push(() => restarted.close());
    const resumed = await restarted.resume();
    expect(resumed.count).toBe(1);
    await resumed.finished;
    expect(await restarted.scan({ kind: 'url', value: url }, opts())).toMatchObject({ status: 'found', via: 'cache' });
    expect(vt.requestsTo('/api/v3/urls', 'POST')).toHaveLength(1);
    void client;
  });

  it('keeps polling an analysis past 8 polls, with capped waits, until VirusTotal completes it', async () => {
    const { vt, scanner } = await rig({}, { pollMs: 5, maxPollWaitMs: 20 }, { pollsUntilComplete: 14 });
    const url = 'https://slow.example.net/page';
    vt.addUrl(url, { known: false, verdict: { malicious: 4, harmless: 60 } });
    const started = Date.now();
    const outcome = await scanner.scan({ kind: 'url', value: url }, opts(ON, { priority: 'autoscan' }));
    expect(outcome).toMatchObject({ status: 'found', via: 'submitted', report: { stats: { malicious: 4 } } });
    expect(vt.requestsTo(/^\/api\/v3\/analyses\//)).toHaveLength(14);
    // 5, 7.5, 11.25, 16.9, then 20 ms each: about 0.25 s in all, nowhere near 14 uncapped waits.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives an analysis still pending at its deadline up as not checked (an error auto-scan follows up) and forgets it', async () => {
    const { vt, t, client, scanner } = await rig({}, { pollMs: 20, maxPollWaitMs: 50, analysisDeadlineMs: 400 }, { pollsUntilComplete: 1_000_000 });
    const url = 'https://never-done.example.net/page';
    vt.addUrl(url, { known: false, verdict: { malicious: 4, harmless: 60 } });
    const started = Date.now();
    const outcome = await scanner.scan({ kind: 'url', value: url }, opts(ON, { priority: 'autoscan' }));
    const took = Date.now() - started;
    expect(outcome).toMatchObject({ status: 'error' });
    if (outcome.status === 'error') expect(outcome.error).toBeInstanceOf(AnalysisUnfinishedError);
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(3000);
    expect(vt.requestsTo(/^\/api\/v3\/analyses\//).length).toBeGreaterThan(3);
    const restarted = new Scanner({ vt: client, store: t.store, cacheTtlMs: 60_000, pollMs: 10 });
    cleanups.push(() => restarted.close());
    expect((await restarted.resume()).count).toBe(0);
  });

  it('lets a command stop waiting with analysis-pending while the polling goes on and caches the report', async () => {
    const { vt, scanner } = await rig({}, { pollMs: 40, maxPollWaitMs: 40, interactiveWaitMs: 100 }, { pollsUntilComplete: 6 });
    const url = 'https://patient.example.net/page';
    vt.addUrl(url, { known: false, verdict: { malicious: 2, harmless: 60 } });
    expect(await scanner.scan({ kind: 'url', value: url }, opts(ON))).toEqual({ status: 'unknown', indicator: { kind: 'url', value: url }, reason: 'analysis-pending' });
    // The shared poll finishes on its own; then the report is in the cache.
    await expect.poll(() => vt.requestsTo(/^\/api\/v3\/urls\/[0-9a-f]{64}$/).length, { timeout: 3000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(await scanner.scan({ kind: 'url', value: url }, opts())).toMatchObject({ status: 'found', via: 'cache', report: { stats: { malicious: 2 } } });
    expect(vt.requestsTo('/api/v3/urls', 'POST')).toHaveLength(1);
  });
});

describe('Scanner analysis deadline across restarts', () => {
  /** Submits an unknown URL, lets the job be stored, and shuts the scanner down mid-analysis. */
  async function interruptedSubmission(now: { ms: number }): Promise<Rig & { url: string }> {
    const r = await rig({}, { pollMs: 60_000, clock: () => now.ms }, { pollsUntilComplete: 1 });
    const url = 'https://restarted.example.net/page';
    r.vt.addUrl(url, { known: false, verdict: { malicious: 3, harmless: 60 } });
    let submitted!: () => void;
    const wasSubmitted = new Promise<void>((resolve) => (submitted = resolve));
    const interrupted = r.scanner.scan({ kind: 'url', value: url }, opts(ON, { priority: 'autoscan', onProgress: (p) => p.stage === 'submitted' && submitted() }));
    await wasSubmitted;
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the job be written
    await r.scanner.close();
    expect((await interrupted).status).toBe('error');
    return { ...r, url };
  }

  function restart(r: Rig, now: { ms: number }): Scanner {
    const restarted = new Scanner({ vt: r.client, store: r.t.store, cacheTtlMs: 60_000, pollMs: 10, clock: () => now.ms });
    cleanups.push(() => restarted.close());
    return restarted;
  }

  it('resumes an analysis within the hour of its submission', async () => {
    const now = { ms: Date.parse('2026-12-07T10:00:00Z') };
    const r = await interruptedSubmission(now);
    now.ms += 59 * 60_000;
    const resumed = await restart(r, now).resume();
    expect(resumed.count).toBe(1);
    await resumed.finished;
    expect(r.vt.requestsTo(/^\/api\/v3\/analyses\//)).toHaveLength(1);
    expect(await restart(r, now).scan({ kind: 'url', value: r.url }, opts())).toMatchObject({ status: 'found', via: 'cache' });
  });

  it('gives up, without a request, an analysis whose hour ran out while the bot was down', async () => {
    const now = { ms: Date.parse('2026-12-07T10:00:00Z') };
    const r = await interruptedSubmission(now);
    now.ms += 61 * 60_000;
    const restarted = restart(r, now);
    const resumed = await restarted.resume();
    expect(resumed.count).toBe(1);
    await resumed.finished;
    expect(r.vt.requestsTo(/^\/api\/v3\/analyses\//)).toHaveLength(0);
    expect((await restart(r, now).resume()).count).toBe(0);
  });
});
