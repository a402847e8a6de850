/**
 * Faults: VirusTotal answers far too late. The auto-scan job's overall deadline ends the wait, the
 * indicator counts as not checked ('error') and is followed up instead of holding its slot (or the
 * message) forever; the late answer fills the cache, so the follow-up answers without asking again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { autoScanJobs } from '../../src/autoscan/jobs.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { until } from '../support/wait.js';

const SLOW_DOMAIN = 'slow-threat.xyz';
const DEADLINE_MS = 300;
const VT_DELAY_MS = 2_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ app: { autoScanDeadlineMs: DEADLINE_MS, autoScanRetryBaseMs: 100 } });
  h.vt.addDomain(SLOW_DOMAIN, { verdict: { malicious: 9, harmless: 50, undetected: 10, label: 'phishing' } });
  await h.set('action', 'reply');
});
afterAll(async () => h.close());

it('gives up waiting at the deadline, stores a follow-up, and answers once VirusTotal has answered', async () => {
  const lookup = `/api/v3/domains/${SLOW_DOMAIN}`;
  h.vt.fault({ method: 'GET', path: lookup }, { delayMs: VT_DELAY_MS });
  const started = Date.now();
  const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `see ${SLOW_DOMAIN}` });

  // Well before VirusTotal's answer: the first attempt ended as not checked and left a follow-up.
  await until(async () => (await autoScanJobs(h.app.ctx).pending()).some((j) => j.payload.messageId === posted.id && (j.payload.attempt ?? 0) >= 1), 'a stored follow-up');
  expect(Date.now() - started).toBeLessThan(VT_DELAY_MS);
  expect(h.logs.some((l) => l.msg === 'indicator could not be checked' && l.status === 'error' && l.messageId === posted.id)).toBe(true);
  expect(h.repliesTo(posted.id)).toHaveLength(0);

  await until(() => h.repliesTo(posted.id).length > 0, 'the follow-up to answer');
  await h.app.autoScan?.idle();
  expect(h.repliesTo(posted.id)).toHaveLength(1);
  // The slow request was made once; the follow-up found its answer in the cache.
  expect(h.vt.requests.filter((r) => r.path === lookup)).toHaveLength(1);
  expect(await autoScanJobs(h.app.ctx).pending()).toHaveLength(0);
});
