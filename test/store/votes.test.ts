import { describe, expect, it } from 'vitest';
import { BACKENDS, storeOpener, tempDirs } from '../support/store.js';

describe.each(BACKENDS)('moderator votes (%s)', (backend) => {
  const tempDir = tempDirs();
  const open = storeOpener(tempDir, backend);

  it('counts one vote per moderator and object', async () => {
    const { votes } = await open();
    expect(await votes.cast('g1', 'file:abc', 'm1', 'malicious')).toEqual({ changed: true, previous: null, tally: { malicious: 1, harmless: 0 } });
    expect(await votes.cast('g1', 'file:abc', 'm1', 'malicious')).toEqual({ changed: false, previous: 'malicious', tally: { malicious: 1, harmless: 0 } });
    expect(await votes.tally('g1', 'file:abc')).toEqual({ malicious: 1, harmless: 0 });
    expect(await votes.tally('g1', 'file:other')).toEqual({ malicious: 0, harmless: 0 });
  });

  it('lets a moderator change their vote', async () => {
    const { votes } = await open();
    await votes.cast('g1', 'url:x', 'm1', 'malicious');
    await votes.cast('g1', 'url:x', 'm2', 'malicious');
    expect(await votes.cast('g1', 'url:x', 'm1', 'harmless')).toEqual({ changed: true, previous: 'malicious', tally: { malicious: 1, harmless: 1 } });
    expect(await votes.voterVerdict('g1', 'url:x', 'm1')).toBe('harmless');
    expect(await votes.voterVerdict('g1', 'url:x', 'm3')).toBeNull();
  });

  it('loses no vote when many moderators vote at once', async () => {
    const { votes } = await open();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => votes.cast('g1', 'file:abc', `m${i}`, i % 4 === 0 ? 'harmless' : 'malicious')));
    expect(await votes.tally('g1', 'file:abc')).toEqual({ malicious: 30, harmless: 10 });
    expect(results.every((r) => r.changed)).toBe(true);
  });

  it('keeps votes across a restart', async () => {
    const dir = await tempDir();
    const first = await open(dir);
    await first.votes.cast('g1', 'ip:1.2.3.4', 'm1', 'harmless');
    await first.close();
    const second = await open(dir);
    expect(await second.votes.tally('g1', 'ip:1.2.3.4')).toEqual({ malicious: 0, harmless: 1 });
  });

  it('keeps each server\'s ballots apart: a vote in one server changes no other server\'s tally', async () => {
    const { votes } = await open();
    expect((await votes.cast('guild-a', 'file:abc', 'm1', 'malicious')).tally).toEqual({ malicious: 1, harmless: 0 });
    expect(await votes.tally('guild-b', 'file:abc')).toEqual({ malicious: 0, harmless: 0 });
    // The same moderator in another server starts from nothing there: their first vote is a change.
    expect(await votes.cast('guild-b', 'file:abc', 'm1', 'malicious')).toEqual({ changed: true, previous: null, tally: { malicious: 1, harmless: 0 } });
    expect(await votes.voterVerdict('guild-a', 'file:abc', 'm2')).toBeNull();
  });
});
