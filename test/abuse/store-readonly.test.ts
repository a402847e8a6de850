/**
 * Faults: the store stops taking writes while the bot runs. The mechanism is SQLite's own
 * `PRAGMA query_only = ON` on the jobs table's connection (the store keeps one connection per
 * table, src/store/index.ts): every INSERT/DELETE there then fails with SQLITE_READONLY, as on a
 * read-only remount, while reads go on. (chmod does nothing for root, and an immutable flag does
 * not stop writes through already open files.) A message posted meanwhile must still be answered,
 * /healthz must say degraded, and recover once the store writes again.
 */
import type KeyvSqlite from '@keyv/sqlite';
import type { Keyv } from 'keyv';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { autoScanJobs } from '../../src/autoscan/jobs.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { until } from '../support/wait.js';

const MALICIOUS_URL = 'https://evil-payload.xyz/drop.exe';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { HTTP_PORT: '0' }, app: { autoScanStoreRetryMs: 50 } });
  h.vt.addUrl(MALICIOUS_URL, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
  await h.set('action', 'reply');
});
afterAll(async () => h.close());

/** The jobs table's own SQLite connection (JobStore keeps its keyv private; the test reaches in). */
function jobsConnection(): KeyvSqlite {
  return (h.app.ctx.store.jobs as unknown as { keyv: Keyv }).keyv.store as KeyvSqlite;
}

async function health(): Promise<{ code: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${String(h.app.httpPort)}/healthz`);
  return { code: res.status, body: await res.json() };
}


it('answers a message posted while the store is read-only, reports degraded, and recovers', async () => {
  expect(await health()).toEqual({ code: 200, body: { status: 'ok' } });
  await jobsConnection().query('PRAGMA query_only = ON');
  // Really read-only: a write through the store fails.
  await expect(autoScanJobs(h.app.ctx).add({ type: 'autoscan', guildId: 'g', channelId: 'c', messageId: 'm', authorId: null, indicators: [], keys: [], nonce: 'n' })).rejects.toThrow(/readonly/i);

  const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `grab it ${MALICIOUS_URL}` });
  await until(() => h.repliesTo(posted.id).length > 0, 'an answer while the store is read-only');
  expect(h.logs.some((l) => l.msg === 'could not store an auto-scan job; keeping it in memory and scanning anyway')).toBe(true);
  expect(await health()).toEqual({ code: 503, body: { status: 'degraded', reason: 'store not writable' } });
  // Still degraded after a few retries while the store refuses.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect((await health()).code).toBe(503);

  await jobsConnection().query('PRAGMA query_only = OFF');
  await until(async () => (await health()).code === 200, 'healthz to recover');
  expect(await health()).toEqual({ code: 200, body: { status: 'ok' } });
  await h.app.autoScan?.idle();
  expect(h.repliesTo(posted.id)).toHaveLength(1);
  // The answered job was not written afterwards: nothing for a restart to run again.
  expect(await autoScanJobs(h.app.ctx).pending()).toHaveLength(0);
});
