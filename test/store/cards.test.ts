import { describe, expect, it } from 'vitest';
import { storeOpener, tempDirs } from '../support/store.js';

const tempDir = tempDirs();
const open = storeOpener(tempDir);

describe('cards: which object each embed of a result message shows', () => {
  it('keeps the order, the summary gap and survives a restart', async () => {
    const dir = await tempDir();
    const first = await open(dir);
    await first.cards.record('m1', ['url:aa', 'file:bb', null]);
    await first.close();
    const second = await open(dir);
    expect(await second.cards.keysOf('m1')).toEqual(['url:aa', 'file:bb', null]);
    expect(await second.cards.keysOf('m2')).toBeNull();
  });

  it('ignores a damaged record instead of pointing a vote at the wrong card', async () => {
    const store = await open();
    await store.cards.record('m1', Array.from({ length: 11 }, () => 'file:x'));
    expect(await store.cards.keysOf('m1')).toBeNull();
    await store.cards.record('m2', [42 as unknown as string]);
    expect(await store.cards.keysOf('m2')).toBeNull();
  });
});
