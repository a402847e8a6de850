import { describe, expect, it } from 'vitest';
import { MAX_ENTRIES_PER_DAY, matchesTarget } from '../../src/store/history.js';
import { BACKENDS, boundedTrail, storeOpener, tempDirs } from '../support/store.js';

const tempDir = tempDirs();
const DAY = 86_400_000;
const G = '111111111111111111';
const H = '222222222222222222';

describe.each(BACKENDS)('scope stores (%s)', (backend) => {
  const open = storeOpener(tempDir, backend);

  describe('audit trail', () => {
    it('returns a server\'s entries newest first, filtered by member or target, and never another server\'s', async () => {
      const s = await open();
      const t0 = Date.UTC(2026, 0, 10);
      await s.history.record(G, { at: t0, kind: 'scan', authorId: '1', key: 'domain:evil.example', text: 'evil.example', verdict: 'clean' }, 30);
      await s.history.record(G, { at: t0 + DAY, kind: 'vote', moderatorId: '2', key: 'url:abc', text: 'https://login.evil.example/x', verdict: 'malicious' }, 30);
      await s.history.record(G, { at: t0 + 2 * DAY, kind: 'scan', authorId: '3', key: 'ip:1.2.3.4', text: '1.2.3.4', verdict: 'clean' }, 30);
      await s.history.record(H, { at: t0 + 2 * DAY, kind: 'scan', authorId: '1', key: 'domain:evil.example', text: 'evil.example', verdict: 'malicious' }, 30);
      const now = t0 + 3 * DAY;
      expect((await s.history.recent(G, { days: 30, now })).map((e) => e.at)).toEqual([t0 + 2 * DAY, t0 + DAY, t0]);
      expect((await s.history.recent(G, { days: 30, now, userId: '2' })).map((e) => e.kind)).toEqual(['vote']);
      expect((await s.history.recent(G, { days: 30, now, target: 'evil.example' })).map((e) => e.kind)).toEqual(['vote', 'scan']);
      expect((await s.history.recent(G, { days: 2, now })).length).toBe(2);
      expect((await s.history.recent(H, { days: 30, now })).map((e) => e.verdict)).toEqual(['malicious']);
    });

    it('drops days older than history_days when it records, and forgets a server entirely', async () => {
      const s = await open();
      const t0 = Date.UTC(2026, 0, 1);
      await s.history.record(G, { at: t0, kind: 'scan', verdict: 'clean' }, 5);
      await s.history.record(G, { at: t0 + 10 * DAY, kind: 'scan', verdict: 'malicious' }, 5);
      expect((await s.history.recent(G, { days: 365, now: t0 + 10 * DAY })).map((e) => e.verdict)).toEqual(['malicious']);
      await s.history.forget(G);
      expect(await s.history.recent(G, { days: 365, now: t0 + 10 * DAY })).toEqual([]);
    });

    it('keeps a bounded number of entries per server and day, the newest', async () => {
      const s = await open();
      const small = boundedTrail(s, 10);
      const t0 = Date.UTC(2026, 0, 1);
      for (let i = 0; i < 13; i += 1) await small.record(G, { at: t0 + i, kind: 'scan', text: String(i) }, 30);
      const kept = await small.recent(G, { days: 30, now: t0 + DAY / 2 });
      expect(kept.map((e) => e.text)).toEqual(['12', '11', '10', '9', '8', '7', '6', '5', '4', '3']);
      expect(MAX_ENTRIES_PER_DAY).toBeGreaterThanOrEqual(1000);
    });

    it('matches a domain against URLs and subdomains, not look-alikes', () => {
      expect(matchesTarget({ text: 'https://a.evil.example/x' }, 'evil.example')).toBe(true);
      expect(matchesTarget({ text: 'https://evil.example.com/x' }, 'evil.example')).toBe(false);
      expect(matchesTarget({ key: 'file:ABCD', text: 'abcd' }, 'ABCD')).toBe(true);
      expect(matchesTarget({ text: 'notevil.example' }, 'evil.example')).toBe(false);
    });
  });

  describe('departed servers', () => {
    it('falls due history_days after leaving, unless the bot came back', async () => {
      const s = await open();
      await s.departures.left(G, 1000, 30);
      await s.departures.left(H, 1000, 30);
      await s.departures.returned(H);
      expect(await s.departures.due(1000 + 29 * DAY)).toEqual([]);
      expect(await s.departures.due(1000 + 30 * DAY)).toEqual([G]);
    });

    it('forgets a server\'s votes and settings, and only that server\'s', async () => {
      const s = await open();
      await s.votes.cast(G, 'domain:a.example', 'm1', 'malicious');
      await s.votes.cast(H, 'domain:a.example', 'm1', 'malicious');
      await s.settings.toggleId(G, 'ignoredChannels', '333333333333333333', true);
      expect(await s.votes.forget(G)).toBe(1);
      await s.settings.forget(G);
      expect(await s.votes.tally(G, 'domain:a.example')).toEqual({ malicious: 0, harmless: 0 });
      expect(await s.votes.tally(H, 'domain:a.example')).toEqual({ malicious: 1, harmless: 0 });
      expect((await s.settings.get(G)).ignoredChannels).toEqual([]);
    });
  });

  describe('scope lists', () => {
    it('adds and removes ids once, and refuses what is not an id', async () => {
      const s = await open();
      expect((await s.settings.toggleId(G, 'exemptRoles', '444444444444444444', true)).changed).toBe(true);
      expect((await s.settings.toggleId(G, 'exemptRoles', '444444444444444444', true)).changed).toBe(false);
      expect((await s.settings.get(G)).exemptRoles).toEqual(['444444444444444444']);
      expect((await s.settings.toggleId(G, 'exemptRoles', '444444444444444444', false)).changed).toBe(true);
      expect((await s.settings.get(G)).exemptRoles).toEqual([]);
      await expect(s.settings.toggleId(G, 'exemptRoles', 'everyone', true)).rejects.toThrow(TypeError);
    });
  });
});
