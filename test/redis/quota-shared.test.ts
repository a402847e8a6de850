/**
 * The shared quota gate on a real redis-server: two gates (as two processes) with one VirusTotal
 * double never exceed the rate together, a command on one is served before the other's backlog,
 * `usage()` counts both, and a lost Redis refuses requests instead of sending them unmetered.
 */
import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QuotaExhaustedError, QuotaUnavailableError, TooManyRequestsError } from '../../src/vt/errors.js';
import { VtClient } from '../../src/vt/client.js';
import { SharedQuotaGate } from '../../src/vt/quota-shared.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { SEED, startVtDouble } from '../support/vt-double.js';

let redis: RedisServer;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis.close());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let prefixes = 0;
/** Two gates sharing one quota, each on its own connection as two processes would be. */
async function gates(limits: { perMinute: number; windowMs: number; perDay?: number }): Promise<[SharedQuotaGate, SharedQuotaGate]> {
  const prefix = `test${String(++prefixes)}:quota:`;
  const made: SharedQuotaGate[] = [];
  for (let i = 0; i < 2; i++) {
    // One connection per gate, as each process has its own.
    const client = createClient({ url: redis.url, disableOfflineQueue: true });
    client.on('error', () => undefined);
    await client.connect();
    const gate = new SharedQuotaGate({ perMinute: limits.perMinute, perDay: limits.perDay ?? 1_000_000, perMonth: 10_000_000, windowMs: limits.windowMs, redis: client, prefix, retry: { attempts: 2, baseMs: 5, maxMs: 20 } });
    cleanups.push(async () => {
      await gate.close();
      if (client.isOpen) await client.close().catch(() => undefined);
    });
    made.push(gate);
  }
  return [made[0] as SharedQuotaGate, made[1] as SharedQuotaGate];
}

describe('shared quota gate', () => {
  it('keeps two processes together under the rate: 40 look-ups at 6 per 300 ms, no violation', async () => {
    const vt = await startVtDouble({ perWindow: 6, windowMs: 300, perDay: 100_000 });
    cleanups.push(() => vt.close());
    const [a, b] = await gates({ perMinute: 6, windowMs: 300 });
    const [ca, cb] = [a, b].map((gate) => new VtClient({ apiKey: vt.apiKey, origin: vt.origin, gate })) as [VtClient, VtClient];
    cleanups.push(async () => {
      await ca.close();
      await cb.close();
    });
    const started = Date.now();
    const reports = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? ca : cb).getDomain(SEED.cleanDomain, { priority: 'autoscan' })));
    expect(reports).toHaveLength(40);
    expect(vt.violations).toBe(0);
    expect(vt.requestsTo(/^\/api\/v3\/domains\//).length).toBe(40);
    // 40 at 6 per 300 ms: the last of them cannot leave before 6 full windows.
    expect(Date.now() - started).toBeGreaterThanOrEqual(6 * 300);
  });

  it("serves a command on one process before the other process's auto-scan backlog", async () => {
    const [a, b] = await gates({ perMinute: 1, windowMs: 150 });
    const sent: string[] = [];
    const send = (label: string) => () => {
      sent.push(label);
      return Promise.resolve(label);
    };
    const backlog = Array.from({ length: 20 }, (_, i) => b.run(send(`auto${String(i)}`), { priority: 'autoscan' }).catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 30)); // the backlog is queued and the window is full
    const command = a.run(send('command'), { priority: 'command' });
    expect((await a.usage()).queued).toBe(20); // both processes' waiters, minus the one sent
    await command;
    expect(sent).toEqual(['auto0', 'command']);
    await b.close();
    expect((await Promise.all(backlog)).slice(1).every((e) => e instanceof Error)).toBe(true);
  });

  it('counts both processes in usage() and refuses everyone once the day budget is spent', async () => {
    const [a, b] = await gates({ perMinute: 100, windowMs: 1000, perDay: 3 });
    await a.run(() => Promise.resolve(1), { priority: 'command' });
    await b.run(() => Promise.resolve(2), { priority: 'command' });
    await b.run(() => Promise.resolve(3), { priority: 'autoscan' });
    const usage = await a.usage();
    expect(usage.minute.used).toBe(3);
    expect(usage.day).toMatchObject({ used: 3, limit: 3 });
    await expect(a.run(() => Promise.resolve(4), { priority: 'command' })).rejects.toBeInstanceOf(QuotaExhaustedError);
  });

  it("pauses every process when one of them gets a 429", async () => {
    const [a, b] = await gates({ perMinute: 100, windowMs: 1000 });
    let tries = 0;
    const limited = a.run(() => {
      tries += 1;
      if (tries === 1) return Promise.reject(new TooManyRequestsError('slow down', { status: 429, code: 'TooManyRequestsError', method: 'GET', path: '/x', retryAfterMs: 400 }));
      return Promise.resolve('ok');
    }, { priority: 'autoscan' });
    await new Promise((r) => setTimeout(r, 50)); // the 429 is in, and shared
    const started = Date.now();
    await b.run(() => Promise.resolve('other'), { priority: 'command' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await limited).toBe('ok');
    expect(tries).toBe(2);
  });

  it('sends nothing while Redis is down, and works again once it is back', async () => {
    const own = await startRedis();
    cleanups.push(() => own.close());
    const client = createClient({ url: own.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => undefined);
    await client.connect();
    const gate = new SharedQuotaGate({ perMinute: 10, perDay: 1000, perMonth: 10_000, windowMs: 1000, redis: client, prefix: 'down:quota:' });
    cleanups.push(async () => {
      await gate.close();
      await client.close().catch(() => undefined);
    });
    let sends = 0;
    const send = (): Promise<number> => Promise.resolve(++sends);
    await gate.run(send, { priority: 'command' });
    await own.stop();
    await expect(gate.run(send, { priority: 'command' })).rejects.toBeInstanceOf(QuotaUnavailableError);
    expect(sends).toBe(1);
    await own.restart();
    for (let i = 0; i < 100 && !client.isReady; i++) await new Promise((r) => setTimeout(r, 50));
    await gate.run(send, { priority: 'command' });
    expect(sends).toBe(2);
  });
});
