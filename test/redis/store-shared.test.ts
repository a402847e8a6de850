/**
 * Two stores on one real redis-server, as two processes see it: concurrent votes and settings
 * changes from both are all kept, a job is held by one process at a time, and a dead process's job
 * is free again once its lease expired.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { startRedis, type RedisServer } from '../support/redis.js';

let redis: RedisServer;
const opened: Store[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis.close());
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function two(jobLeaseMs = 30_000): Promise<[Store, Store]> {
  const a = await openStore(redis.url, { jobLeaseMs });
  const b = await openStore(redis.url, { jobLeaseMs });
  opened.push(a, b);
  await a.redis?.client.flushAll();
  return [a, b];
}

describe('a Redis store shared by two processes', () => {
  it('keeps every vote and every allowlist change made on both at once', async () => {
    const [a, b] = await two();
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).votes.cast('g1', 'url:x', `m${String(i)}`, i % 3 === 0 ? 'harmless' : 'malicious')));
    expect(await a.votes.tally('g1', 'url:x')).toEqual({ malicious: 20, harmless: 10 });
    const domains = ['a.com', 'b.com', 'c.com', 'd.com', 'e.com', 'f.com'];
    await Promise.all(domains.map((d, i) => (i % 2 === 0 ? a : b).settings.allow('g1', d)));
    await Promise.all([a.settings.set('g1', 'action', 'delete'), b.settings.set('g1', 'report_clean', true)]);
    expect(await b.settings.get('g1')).toMatchObject({ allowlist: domains, action: 'delete', reportClean: true });
  });

  it('lets one process hold a job; another takes it over only after the holder released it or its lease expired', async () => {
    const [a, b] = await two(300);
    const jobsA = a.jobs.queue('autoscan', (raw) => raw);
    const jobsB = b.jobs.queue('autoscan', (raw) => raw);
    const id = await jobsA.add({ n: 1 });
    expect(await jobsB.claim(id)).toBe(false);
    await new Promise((r) => setTimeout(r, 500)); // A is alive: its lease is renewed
    expect(await jobsB.claim(id)).toBe(false);
    await jobsA.release(id);
    expect(await jobsB.claim(id)).toBe(true);
    expect(await jobsA.claim(id)).toBe(false);

    const other = await jobsB.add({ n: 2 });
    // B dies without releasing (its renewals stop; nothing is deleted): A may claim once the lease expired.
    (b.jobs.claims as unknown as { close(): Promise<void>; held: Set<string> }).held.clear();
    expect(await jobsA.claim(other)).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect(await jobsA.claim(other)).toBe(true);
    expect((await jobsA.pending()).map((j) => j.id).sort()).toEqual([id, other].sort());
  });
});
