import { Keyv } from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/metrics.js';
import { StoreProbe } from '../../src/status/store-probe.js';
import { startBot, type Bot } from '../support/bot.js';
import { parseProm, sampleOf } from './prom-text.js';

describe('GET /healthz of the running bot', () => {
  let bot: Bot | undefined;
  afterEach(async () => bot?.close());

  const health = async (b: Bot): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`http://127.0.0.1:${String(b.app.httpPort)}/healthz`);
    return { status: res.status, body: await res.json() };
  };

  it('is 200 while connected with a writable store, 503 with the reason once the store refuses writes', async () => {
    bot = await startBot({ env: { HTTP_PORT: '0' } });
    expect(await health(bot)).toEqual({ status: 200, body: { status: 'ok' } });
    await bot.app.ctx.store.close();
    await new Promise((r) => setTimeout(r, 1100)); // the last answer is reused for a second
    expect(await health(bot)).toEqual({ status: 503, body: { status: 'unhealthy', problem: 'the store does not take writes' } });
    const text = await (await fetch(`http://127.0.0.1:${String(bot.app.httpPort)}/metrics`)).text();
    expect(sampleOf(parseProm(text), 'vtguard_store_writable')).toBe(0);
  });

  it('is 503 when the gateway is gone', async () => {
    bot = await startBot({ env: { HTTP_PORT: '0' } });
    await bot.app.client?.destroy();
    expect(await health(bot)).toEqual({ status: 503, body: { status: 'unhealthy', problem: 'not connected to Discord' } });
    const text = await (await fetch(`http://127.0.0.1:${String(bot.app.httpPort)}/metrics`)).text();
    expect(sampleOf(parseProm(text), 'vtguard_gateway_connected')).toBe(0);
  });
});

describe('the store probe', () => {
  /** A keyv storage whose writes never answer, like a store stuck on a lock or a dead disk. */
  const stuck = (): Keyv => new Keyv({ store: { get: () => Promise.resolve(undefined), set: () => new Promise(() => undefined), delete: () => Promise.resolve(true), clear: () => Promise.resolve() } });

  it('answers false when a write outlasts the deadline, and sets the gauge', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const probe = new StoreProbe({ keyv: stuck(), metrics, clock: Date.now, timeoutMs: 50 });
    const started = Date.now();
    expect(await probe.writable()).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(metrics.value('vtguard_store_writable')).toBe(0);
  });

  it('writes at most once per reuse period however often it is asked', async () => {
    const map = new Map<string, unknown>();
    let writes = 0;
    const keyv = new Keyv({ store: { get: (k: string) => Promise.resolve(map.get(k)), set: (k: string, v: unknown) => { writes += 1; map.set(k, v); return Promise.resolve(true); }, delete: (k: string) => Promise.resolve(map.delete(k)), clear: () => Promise.resolve(map.clear()) } });
    const metrics = new Metrics({ defaultMetrics: false });
    const probe = new StoreProbe({ keyv, metrics, clock: Date.now, reuseMs: 60_000 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => probe.writable()));
    expect(answers.every((a) => a)).toBe(true);
    expect(await probe.writable()).toBe(true);
    expect(writes).toBe(1);
    expect(metrics.value('vtguard_store_writable')).toBe(1);
  });
});
