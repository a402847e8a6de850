import { KeyvHooks } from 'keyv';
import { describe, expect, it } from 'vitest';
import { PAGE_ENTRIES } from '../../src/store/history-pages.js';
import { HistoryStore, type HistoryEntry } from '../../src/store/history.js';
import { BACKENDS, storeOpener, tempDirs } from '../support/store.js';

const tempDir = tempDirs();
const G = '111111111111111111';
const T0 = Date.UTC(2026, 0, 10, 8);

const entry = (i: number): HistoryEntry => ({ at: T0 + i, kind: 'scan', text: `https://site${String(i)}.example/`, verdict: 'clean' });

describe.each(BACKENDS)('audit trail pages (%s)', (backend) => {
  const open = storeOpener(tempDir, backend);

  it('appends to a busy day by writing one small page, and keeps the newest entries past the bound', async () => {
    const s = await open();
    const trail = new HistoryStore(s.cache, 250);
    const writes: number[] = [];
    s.cache.hooks.addHandler(KeyvHooks.PRE_SET, (data: { value: unknown }) => writes.push(Array.isArray(data.value) ? data.value.length : 0));
    for (let i = 0; i < 1_000; i += 1) await trail.record(G, entry(i), 30);
    // A single growing record would have written 250 entries for each of the last 750 records.
    expect(Math.max(...writes)).toBeLessThanOrEqual(PAGE_ENTRIES);
    const kept = await trail.recent(G, { days: 1, now: T0 + 60_000 });
    expect(kept).toHaveLength(250);
    expect(kept[0]?.text).toBe('https://site999.example/');
    expect(kept.at(-1)?.text).toBe('https://site750.example/');
  });

  it('writes a flood recorded at once in a few writes, every entry kept in order', async () => {
    const s = await open();
    const trail = new HistoryStore(s.cache);
    let sets = 0;
    s.cache.hooks.addHandler(KeyvHooks.PRE_SET, () => (sets += 1));
    await Promise.all(Array.from({ length: 500 }, (_, i) => trail.record(G, entry(i), 30)));
    expect(sets).toBeLessThan(20);
    const kept = await trail.recent(G, { days: 1, now: T0 + 60_000 });
    expect(kept.map((e) => e.at)).toEqual(Array.from({ length: 500 }, (_, i) => T0 + 499 - i));
  });

  it('reads a day an earlier version stored as one record, and goes on appending to it', async () => {
    const s = await open();
    const day = Math.floor(T0 / 86_400_000);
    const earlier = Array.from({ length: 150 }, (_, i) => entry(i));
    await s.cache.set(`${G}/${String(day)}`, earlier);
    await s.cache.set(`${G}/days`, [day]);
    const trail = new HistoryStore(s.cache);
    expect(await trail.recent(G, { days: 1, now: T0 + 60_000 })).toHaveLength(150);
    await trail.record(G, entry(150), 30);
    const kept = await trail.recent(G, { days: 1, now: T0 + 60_000 });
    expect(kept).toHaveLength(151);
    expect(kept[0]?.at).toBe(T0 + 150);
    await trail.forget(G);
    expect(await trail.recent(G, { days: 1, now: T0 + 60_000 })).toEqual([]);
  });
});
