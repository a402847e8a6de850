import { KeyvHooks } from 'keyv';
import { describe, expect, it } from 'vitest';
import { PAGE_ENTRIES } from '../../src/store/history-pages.js';
import { HistoryStore, isHistoryEntry, type HistoryEntry } from '../../src/store/history.js';
import { REDIS_PREFIX, type Store } from '../../src/store/store.js';
import { KeyvTrail } from '../../src/store/trail.js';
import { RedisTrail } from '../../src/store/trail-redis.js';
import { BACKENDS, boundedTrail, storeOpener, tempDirs } from '../support/store.js';

const tempDir = tempDirs();
const G = '111111111111111111';
const T0 = Date.UTC(2026, 0, 10, 8);
const DAY = Math.floor(T0 / 86_400_000);
const LATER = { days: 1, now: T0 + 60_000 };

const entry = (i: number): HistoryEntry => ({ at: T0 + i, kind: 'scan', text: `https://site${String(i)}.example/`, verdict: 'clean' });
const keyvTrail = (s: Store, maxPerDay = 5_000): HistoryStore => new HistoryStore(new KeyvTrail(s.cache, maxPerDay, isHistoryEntry));

describe.each(BACKENDS)('audit trail (%s)', (backend) => {
  const open = storeOpener(tempDir, backend);

  it('keeps the newest entries of a day past its bound', async () => {
    const s = await open();
    const trail = boundedTrail(s, 250);
    for (let i = 0; i < 1_000; i += 1) await trail.record(G, entry(i), 30);
    const kept = await trail.recent(G, LATER);
    expect(kept).toHaveLength(250);
    expect(kept[0]?.text).toBe('https://site999.example/');
    expect(kept.at(-1)?.text).toBe('https://site750.example/');
  });

  it('writes a flood recorded at once, every entry kept in order', async () => {
    const s = await open();
    await Promise.all(Array.from({ length: 500 }, (_, i) => s.history.record(G, entry(i), 30)));
    const kept = await s.history.recent(G, LATER);
    expect(kept.map((e) => e.at)).toEqual(Array.from({ length: 500 }, (_, i) => T0 + 499 - i));
  });

  it.runIf(backend === 'redis')('loses nothing when two processes append to one server\'s trail at once', async () => {
    const s = await open();
    const client = s.redis?.client;
    if (client === undefined) throw new Error('expected a Redis store');
    // Two trails over one Redis, as two bot processes have: each serialises only its own writes.
    const a = new HistoryStore(new RedisTrail(client, REDIS_PREFIX, 5_000, isHistoryEntry));
    const b = new HistoryStore(new RedisTrail(client, REDIS_PREFIX, 5_000, isHistoryEntry));
    await Promise.all(Array.from({ length: 200 }, (_, i) => [a.record(G, entry(2 * i), 30), b.record(G, entry(2 * i + 1), 30)]).flat());
    const kept = await s.history.recent(G, LATER);
    expect(kept).toHaveLength(400);
    expect(new Set(kept.map((e) => e.at)).size).toBe(400);
  });

  it.runIf(backend === 'redis')('still reads the days the previous version wrote through keyv, and forgets them with the rest', async () => {
    const s = await open();
    const client = s.redis?.client;
    if (client === undefined) throw new Error('expected a Redis store');
    await s.cache.set(`${G}/${String(DAY)}`, [entry(0), entry(1)]);
    await s.cache.set(`${G}/days`, [DAY]);
    const trail = new HistoryStore(new RedisTrail(client, REDIS_PREFIX, 5_000, isHistoryEntry, new KeyvTrail(s.cache, 5_000, isHistoryEntry)));
    await trail.record(G, entry(2), 30);
    expect((await trail.recent(G, LATER)).map((e) => e.at)).toEqual([T0 + 2, T0 + 1, T0]);
    await trail.forget(G);
    expect(await trail.recent(G, LATER)).toEqual([]);
    expect(await s.cache.get(`${G}/days`)).toBeUndefined();
  });
});

describe.each(BACKENDS)('audit trail pages in keyv (%s)', (backend) => {
  const open = storeOpener(tempDir, backend);

  it('appends to a busy day by writing one small page', async () => {
    const s = await open();
    const trail = keyvTrail(s, 250);
    const writes: number[] = [];
    s.cache.hooks.addHandler(KeyvHooks.PRE_SET, (data: { value: unknown }) => writes.push(Array.isArray(data.value) ? data.value.length : 0));
    for (let i = 0; i < 1_000; i += 1) await trail.record(G, entry(i), 30);
    // A single growing record would have written 250 entries for each of the last 750 records.
    expect(Math.max(...writes)).toBeLessThanOrEqual(PAGE_ENTRIES);
    expect(await trail.recent(G, LATER)).toHaveLength(250);
  });

  it('writes a flood recorded at once in a few writes', async () => {
    const s = await open();
    const trail = keyvTrail(s);
    let sets = 0;
    s.cache.hooks.addHandler(KeyvHooks.PRE_SET, () => (sets += 1));
    await Promise.all(Array.from({ length: 500 }, (_, i) => trail.record(G, entry(i), 30)));
    expect(sets).toBeLessThan(20);
    expect(await trail.recent(G, LATER)).toHaveLength(500);
  });

  it('reads a day an earlier version stored as one record, and goes on appending to it', async () => {
    const s = await open();
    await s.cache.set(`${G}/${String(DAY)}`, Array.from({ length: 150 }, (_, i) => entry(i)));
    await s.cache.set(`${G}/days`, [DAY]);
    const trail = keyvTrail(s);
    expect(await trail.recent(G, LATER)).toHaveLength(150);
    await trail.record(G, entry(150), 30);
    const kept = await trail.recent(G, LATER);
    expect(kept).toHaveLength(151);
    expect(kept[0]?.at).toBe(T0 + 150);
    await trail.forget(G);
    expect(await trail.recent(G, LATER)).toEqual([]);
  });
});
