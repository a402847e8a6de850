import { afterEach, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, QuotaExhaustedError } from '../../src/vt/errors.js';
import type { QueueInfo } from '../../src/vt/backend.js';
import { VtClient } from '../../src/vt/client.js';
import { GateClosedError } from '../../src/vt/quota.js';
import { openTestGate, startGatedClient, type GatedClient, type TestGateOptions } from '../support/gate.js';
import { SEED, type VtDouble, type VtDoubleOptions } from '../support/vt-double.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(gateOptions: Partial<TestGateOptions>, doubleOptions: Partial<VtDoubleOptions> = {}): Promise<GatedClient> {
  return startGatedClient(cleanups, gateOptions, { windowMs: 1000, ...doubleOptions });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const domainRequests = (vt: VtDouble): number => vt.requestsTo(/^\/api\/v3\/domains\//).length;

describe('QuotaGate', () => {
  it('sends 30 requests at 6 per second without a single 429', async () => {
    const { vt, client } = await setup({ perMinute: 6, windowMs: 1000 }, { perWindow: 6, windowMs: 1000 });
    const started = Date.now();
    const reports = await Promise.all(Array.from({ length: 30 }, () => client.getDomain(SEED.cleanDomain, { priority: 'autoscan' })));
    expect(reports).toHaveLength(30);
    expect(reports.every((r) => r.id === SEED.cleanDomain)).toBe(true);
    expect(vt.violations).toBe(0);
    expect(domainRequests(vt)).toBe(30);
    // 30 at 6/s: the last batch cannot go before 4 full windows have passed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
  });

  it('sends a command queued behind 50 auto-scans next', async () => {
    const { t } = await setup({ perMinute: 1, windowMs: 150 });
    const sent: string[] = [];
    const send = (label: string) => () => {
      sent.push(label);
      return Promise.resolve(label);
    };
    const autoscans = Array.from({ length: 50 }, (_, i) => t.gate.run(send(`auto${i}`), { priority: 'autoscan' }).catch((e: unknown) => e));
    const polls = t.gate.run(send('poll'), { priority: 'poll' }).catch((e: unknown) => e);
    const button = t.gate.run(send('button'), { priority: 'button' });
    const command = t.gate.run(send('command'), { priority: 'command' });
    expect(t.gate.size).toBe(52);
    await command;
    await button;
    expect(sent).toEqual(['auto0', 'command', 'button']);
    await t.gate.close();
    const rest = await Promise.all([...autoscans.slice(1), polls]);
    expect(rest.every((e) => e instanceof GateClosedError)).toBe(true);
  });

  it('tells a waiting request its position and estimated wait, again when it moves up', async () => {
    const { t } = await setup({ perMinute: 1, windowMs: 100 });
    const seen: QueueInfo[] = [];
    const first = t.gate.run(() => Promise.resolve(1), { priority: 'autoscan' });
    const second = t.gate.run(() => Promise.resolve(2), { priority: 'autoscan' });
    const third = t.gate.run(() => Promise.resolve(3), { priority: 'autoscan', onQueued: (info) => seen.push(info) });
    await Promise.all([first, second, third]);
    expect(seen.map((s) => s.position)).toEqual([2, 1]);
    expect(seen[0]?.estimatedWaitMs).toBeGreaterThan(100);
    expect(seen[0]?.estimatedWaitMs).toBeLessThanOrEqual(200);
  });

  it('counts a slow request until its answer, so the window never fills twice over', async () => {
    const { t } = await setup({ perMinute: 2, windowMs: 100 });
    const answers: number[] = [];
    const slow = (): Promise<void> => sleep(300).then(() => {
      answers.push(Date.now());
    });
    const first = Promise.all([t.gate.run(slow, { priority: 'autoscan' }), t.gate.run(slow, { priority: 'autoscan' })]);
    let thirdSentAt = 0;
    const third = t.gate.run(() => {
      thirdSentAt = Date.now();
      return Promise.resolve();
    }, { priority: 'autoscan' });
    await Promise.all([first, third]);
    expect(thirdSentAt - Math.min(...answers)).toBeGreaterThanOrEqual(95);
  });

  it('keeps the day budget across a restart and never sends beyond it', async () => {
    const first = await setup({ perDay: 5 });
    const { vt, client, t } = first;
    for (let i = 0; i < 5; i++) await client.getDomain(SEED.cleanDomain, { priority: 'command' });
    await t.gate.close();
    await t.store.close();
    const reopened = await openTestGate({ perDay: 5, storeDir: t.storeDir });
    cleanups.push(() => reopened.close());
    const again = new VtClient({ apiKey: vt.apiKey, origin: vt.origin, gate: reopened.gate });
    const error = await again.getDomain(SEED.cleanDomain, { priority: 'command' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect((error as QuotaExhaustedError).window).toBe('day');
    expect((error as QuotaExhaustedError).resetAt.getTime()).toBe(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1));
    expect(domainRequests(vt)).toBe(5);
    expect((await reopened.gate.usage()).day).toMatchObject({ used: 5, limit: 5 });
    await again.close();
  });

  it('keeps recent send times across a quick restart so it does not burst', async () => {
    const { t } = await setup({ perMinute: 3, windowMs: 800 });
    await Promise.all([1, 2, 3].map((i) => t.gate.run(() => Promise.resolve(i), { priority: 'command' })));
    await t.gate.close();
    const reopened = await openTestGate({ perMinute: 3, windowMs: 800, storeDir: t.storeDir });
    cleanups.push(() => reopened.close());
    const started = Date.now();
    await reopened.gate.run(() => Promise.resolve(4), { priority: 'command' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('rejects requests still waiting when the budget runs out, without waiting for the window', async () => {
    const { t } = await setup({ perMinute: 1, windowMs: 2000, perDay: 1 });
    const started = Date.now();
    const results = await Promise.allSettled([1, 2, 3].map((i) => t.gate.run(() => Promise.resolve(i), { priority: 'autoscan' })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(results.slice(1).every((r) => r.status === 'rejected' && r.reason instanceof QuotaExhaustedError)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('pauses the whole gate on 429 TooManyRequests, then retries', async () => {
    const { t, vt, client } = await setup({});
    vt.fault({ path: /\/domains\// }, { status: 429, body: { error: { code: 'TooManyRequestsError', message: 'slow down' } }, headers: { 'retry-after': '1' } });
    const first = client.getDomain(SEED.cleanDomain, { priority: 'autoscan' });
    while (vt.requests.length === 0) await sleep(5);
    await sleep(50);
    expect((await t.gate.usage()).paused).toBeInstanceOf(Date);
    const other = client.getIp(SEED.cleanIp, { priority: 'command' });
    await Promise.all([first, other]);
    const [refused, ...after] = vt.requests;
    expect(refused?.status).toBe(429);
    expect(after).toHaveLength(2);
    for (const request of after) expect(request.at - (refused?.at ?? 0)).toBeGreaterThanOrEqual(950);
    // The command waited behind nobody: it went first once the pause ended.
    expect(after.map((r) => r.path.split('/')[3])).toEqual(['ip_addresses', 'domains']);
  });

  it('marks the day spent when 429 QuotaExceeded persists across full windows, and sends nothing more', async () => {
    const { vt, client, t } = await setup({ windowMs: 100 }, { perDay: 2 });
    await client.getDomain(SEED.cleanDomain, { priority: 'command' });
    await client.getDomain(SEED.cleanDomain, { priority: 'command' });
    await expect(client.getDomain(SEED.cleanDomain, { priority: 'command' })).rejects.toBeInstanceOf(QuotaExhaustedError);
    await expect(client.getIp(SEED.cleanIp, { priority: 'command' })).rejects.toBeInstanceOf(QuotaExhaustedError);
    // Two sent, then three QuotaExceeded answers (each after a window's pause) before giving up.
    expect(vt.requests.map((r) => r.status)).toEqual([200, 200, 429, 429, 429]);
    expect((await t.gate.usage()).day.used).toBe((await t.gate.usage()).day.limit);
  });

  it('takes one QuotaExceeded for the minute quota (as VirusTotal also sends it): waits a window and goes on', async () => {
    const { vt, client, t } = await setup({ windowMs: 300 }, { perWindow: 2, windowMs: 300, windowLimitCode: 'QuotaExceededError' });
    // The key is shared with another tool: two requests already used this window at VirusTotal.
    await fetch(`${vt.origin}/api/v3/domains/${SEED.cleanDomain}`, { headers: { 'x-apikey': vt.apiKey } });
    await fetch(`${vt.origin}/api/v3/domains/${SEED.cleanDomain}`, { headers: { 'x-apikey': vt.apiKey } });
    const report = await client.getDomain(SEED.cleanDomain, { priority: 'command' });
    expect(report.id).toBe(SEED.cleanDomain);
    expect(vt.requests.map((r) => r.status)).toEqual([200, 200, 429, 200]);
    const usage = await t.gate.usage();
    expect(usage.day.used).toBeLessThan(usage.day.limit);
  });

  it('retries 503 with backoff: two 503s then 200 give one result from three requests', async () => {
    const { vt, client } = await setup({});
    vt.fault({ path: /\/files\// }, { status: 503, body: { error: { code: 'TransientError', message: 'busy' } } }, { status: 503 });
    const report = await client.getFile(SEED.eicar.sha256, { priority: 'command' });
    expect(report.id).toBe(SEED.eicar.sha256);
    expect(vt.requestsTo(/\/files\//).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('does not retry 400 or 404', async () => {
    const { vt, client } = await setup({});
    vt.fault({ path: /\/domains\// }, { status: 400, body: { error: { code: 'BadRequestError', message: 'bad' } } });
    await expect(client.getDomain(SEED.cleanDomain, { priority: 'command' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.getFile('0'.repeat(64), { priority: 'command' })).rejects.toBeInstanceOf(NotFoundError);
    expect(vt.requests.map((r) => r.status)).toEqual([400, 404]);
  });

  it('gives up after the configured attempts', async () => {
    const { vt, client } = await setup({ retry: { attempts: 2 } });
    vt.fault({ path: /\/domains\// }, { status: 503 }, { status: 503 }, { status: 503 });
    await expect(client.getDomain(SEED.cleanDomain, { priority: 'command' })).rejects.toMatchObject({ status: 503 });
    expect(vt.requests).toHaveLength(2);
  });

  it('lets an aborted waiting request leave the queue without taking a slot', async () => {
    const { vt, client, t } = await setup({ perMinute: 1, windowMs: 300 });
    await client.getDomain(SEED.cleanDomain, { priority: 'command' });
    const controller = new AbortController();
    const waiting = client.getIp(SEED.cleanIp, { priority: 'autoscan', signal: controller.signal });
    const next = client.getIp(SEED.maliciousIp, { priority: 'autoscan' });
    expect(t.gate.size).toBe(2);
    controller.abort(new Error('user went away'));
    await expect(waiting).rejects.toThrow('user went away');
    expect(t.gate.size).toBe(1);
    await next;
    expect(vt.requests.map((r) => r.path)).toEqual([`/api/v3/domains/${SEED.cleanDomain}`, `/api/v3/ip_addresses/${SEED.maliciousIp}`]);
    expect((await t.gate.usage()).day.used).toBe(2);
  });

  it('reports minute, day and month use and the queue length', async () => {
    const { t } = await setup({ perMinute: 4, perDay: 500, perMonth: 15_500 });
    await t.gate.run(() => Promise.resolve(1), { priority: 'command' });
    const usage = await t.gate.usage();
    expect(usage).toMatchObject({ minute: { used: 1, limit: 4 }, day: { used: 1, limit: 500 }, month: { used: 1, limit: 15_500 }, queued: 0 });
    expect(usage.paused).toBeUndefined();
  });
});
