/**
 * Abuse: one member floods a channel with junk domains; a malicious link another member posts next
 * is still answered within a few quota slots, and the flood itself is deferred (stored as jobs) and
 * scanned later, never dropped. Runs the real bot against the doubles with a tiny quota: 2 requests
 * per 100 ms window.
 */
import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { autoScanJobs } from '../../src/autoscan/jobs.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { until as untilWithin } from '../support/wait.js';

/** Not a reserved TLD such as .example: the extractor only takes public suffixes. */
const MALICIOUS_URL = 'https://evil-payload.xyz/drop.exe';
const FLOOD_MESSAGES = 60;
const DOMAINS_PER_MESSAGE = 2;
const junk = (i: number, j: number): string => `junk${i}x${j}.xyz`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { VT_RATE_PER_MINUTE: '2' }, app: { quotaWindowMs: 100, autoScanRetryBaseMs: 200 } });
  h.vt.addUrl(MALICIOUS_URL, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
  await h.set('action', 'reply');
});
afterAll(async () => h.close());

/** This file's waits span whole process restarts or a flood: longer than the default. */
const until = (check: () => Promise<boolean> | boolean, what: string, ms = 20_000): Promise<void> => untilWithin(check, what, ms);

it('answers a malicious link posted during a flood within a few quota slots, and scans the whole flood later', { timeout: 60_000 }, async () => {
  const { discord, vt } = h;
  const flood: APIMessage[] = [];
  for (let i = 0; i < FLOOD_MESSAGES; i++) {
    const domains = Array.from({ length: DOMAINS_PER_MESSAGE }, (_, j) => junk(i, j));
    flood.push(await discord.postMessage({ author: discord.members.member, content: `look ${domains.join(' ')}` }));
  }
  // Let the bot see the whole flood before the other member posts.
  await until(() => h.app.ctx.metrics.value('vtguard_autoscan_refused_total', { reason: 'author' }) >= FLOOD_MESSAGES * DOMAINS_PER_MESSAGE - 20, 'the flood to reach the bot');

  const before = vt.requests.length;
  const victimPost = await discord.postMessage({ author: discord.members.admin, content: `careful: ${MALICIOUS_URL}` });
  await until(() => h.repliesTo(victimPost.id).length > 0, 'an answer to the malicious link');
  const spent = vt.requests.length - before;
  console.log(`VT requests between the malicious post and its answer: ${spent}`);
  // The gate holds at most the scan window (8) of the flood ahead of it, plus what one tick lets in.
  expect(spent).toBeLessThanOrEqual(12);
  expect(h.repliesTo(victimPost.id)).toHaveLength(1);

  // What was refused is stored, not dropped ...
  const stored = await autoScanJobs(h.app.ctx).pending();
  expect(stored.some((j) => j.payload.attempt === 0 && j.payload.authorId === discord.members.member.id)).toBe(true);
  // ... and every junk domain is eventually looked up, once, and nothing stays pending.
  const looked = (d: string): number => vt.requests.filter((r) => r.path === `/api/v3/domains/${d}`).length;
  await until(async () => flood.every((_, i) => looked(junk(i, 0)) > 0 && looked(junk(i, 1)) > 0) && (await autoScanJobs(h.app.ctx).pending()).length === 0, 'the whole flood scanned', 40_000);
  for (let i = 0; i < FLOOD_MESSAGES; i++) expect(looked(junk(i, 0)) + looked(junk(i, 1))).toBe(2);
  expect(vt.violations).toBe(0);
});
