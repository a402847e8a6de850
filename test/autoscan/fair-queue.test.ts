import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../src/autoscan/fair-queue.js';

/** Work that ends when the test says so, recording the order it started in. */
function recorder(): { started: string[]; finish: () => void; work: (name: string) => () => Promise<string> } {
  const started: string[] = [];
  const pending: Array<() => void> = [];
  return {
    started,
    finish: () => pending.shift()?.(),
    work: (name) => () => {
      started.push(name);
      return new Promise<string>((resolve) => pending.push(() => resolve(name)));
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FairQueue', () => {
  it('releases at most `window` pieces at once', async () => {
    const q = new FairQueue(2);
    const r = recorder();
    const done = ['a', 'b', 'c'].map((n) => q.run({ guildId: 'g', authorId: n }, r.work(n)));
    expect(r.started).toEqual(['a', 'b']);
    expect(q.size).toBe(1);
    r.finish();
    await tick();
    expect(r.started).toEqual(['a', 'b', 'c']);
    r.finish();
    r.finish();
    expect(await Promise.all(done)).toEqual(['a', 'b', 'c']);
  });

  it('serves a newcomer before the rest of a flood, servers first, then authors', async () => {
    const q = new FairQueue(1);
    const r = recorder();
    const all: Array<Promise<string>> = [];
    for (let i = 0; i < 5; i++) all.push(q.run({ guildId: 'g1', authorId: 'flooder' }, r.work(`f${i}`)));
    all.push(q.run({ guildId: 'g1', authorId: 'member' }, r.work('m')));
    all.push(q.run({ guildId: 'g2', authorId: 'other' }, r.work('o')));
    for (let i = 0; i < 7; i++) {
      r.finish();
      await tick();
    }
    await Promise.all(all);
    // Round-robin: servers take turns (g1, g2, g1, ...), and inside g1 its authors do (flooder,
    // member, flooder, ...); the flood's tail waits behind one piece of everyone else's.
    expect(r.started).toEqual(['f0', 'f1', 'o', 'm', 'f2', 'f3', 'f4']);
  });

  it('lets aborted work go at once instead of waiting for its turn', async () => {
    const q = new FairQueue(1);
    const r = recorder();
    const first = q.run({ guildId: 'g', authorId: 'a' }, r.work('a'));
    const controller = new AbortController();
    const late = q.run({ guildId: 'g', authorId: 'b' }, () => Promise.resolve('aborted'), controller.signal);
    controller.abort();
    expect(await late).toBe('aborted');
    expect(q.size).toBe(0);
    r.finish();
    expect(await first).toBe('a');
  });
});
