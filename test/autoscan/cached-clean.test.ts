/**
 * Links VirusTotal already answered clean cost auto-scan nothing: no VirusTotal request, no backlog
 * slot, no job. A member repeating a popular clean link cannot fill the backlog a new link needs,
 * and a cached malicious link is still answered.
 */
import type KeyvSqlite from '@keyv/sqlite';
import type { Keyv } from 'keyv';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/autoscan-harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => h.close());

const CLEAN = 'https://popular-clean-site.xyz/page';
const EVIL = 'https://cached-evil-site.xyz/drop.exe';

/** The jobs table's own SQLite connection: made read-only, any job write shows as `storeWritable` false. */
const jobsConnection = (): KeyvSqlite => (h.app.ctx.store.jobs as unknown as { keyv: Keyv }).keyv.store as KeyvSqlite;

it('stores no job and asks VirusTotal nothing for a cached clean link, however often it is posted', { timeout: 30_000 }, async () => {
  h.vt.addUrl(CLEAN, { verdict: { harmless: 60, undetected: 10 } });
  const first = await h.discord.postMessage({ author: h.discord.members.member, content: `see ${CLEAN}` });
  await h.settled(first);
  const requests = h.vt.requests.length;
  await jobsConnection().query('PRAGMA query_only = ON');
  try {
    const posted = await Promise.all(Array.from({ length: 30 }, () => h.discord.postMessage({ author: h.discord.members.member, content: `again ${CLEAN}` })));
    // discord.js keeps only the last few messages per channel: wait for the last, then for every scan.
    const last = posted.at(-1);
    if (last) await h.settled(last);
    expect(h.app.autoScan?.storeWritable).toBe(true); // no job write was even tried
  } finally {
    await jobsConnection().query('PRAGMA query_only = OFF');
  }
  expect(h.vt.requests.length).toBe(requests);
  expect(h.app.ctx.metrics.value('vtguard_autoscan_refused_total', { reason: 'author' })).toBe(0);
});

it('still answers a cached malicious link', async () => {
  h.vt.addUrl(EVIL, { verdict: { malicious: 20, harmless: 40, undetected: 9 } });
  const first = await h.discord.postMessage({ author: h.discord.members.member, content: EVIL });
  await h.settled(first);
  const again = await h.discord.postMessage({ author: h.discord.members.member, content: `once more ${EVIL}` });
  await h.settled(again);
  expect(h.repliesTo(again.id)).toHaveLength(1);
});
