/** What VirusTotal could not answer is scanned again later, not dropped. */
import { afterEach, describe, expect, it } from 'vitest';
import { autoScanJobs, type AutoScanJob } from '../../src/autoscan/jobs.js';
import { followUpOf, MAX_ATTEMPTS, retryDelayMs } from '../../src/autoscan/follow-up.js';
import type { ScanOutcome } from '../../src/scan/outcome.js';
import { EICAR } from '../support/vt-double.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { until } from '../support/wait.js';

const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const EICAR_LOOKUP = { method: 'GET', path: `/api/v3/files/${EICAR_SHA256}` };
/** The gate tries a failing request twice (not its default four), quickly. */
const GATE_ATTEMPTS = 2;
const eicar = { filename: 'eicar.com', bytes: Buffer.from(EICAR) };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(retryBaseMs: number): Promise<Harness> {
  h = await startHarness({ app: { autoScanRetryBaseMs: retryBaseMs, vtRetry: { attempts: GATE_ATTEMPTS, baseMs: 1, maxMs: 5 } } });
  return h;
}

/** VirusTotal answers 503 to the EICAR look-up for `scans` whole scans (every retry of the gate included). */
function failScans(harness: Harness, scans: number): void {
  harness.vt.fault(EICAR_LOOKUP, ...Array.from({ length: scans * GATE_ATTEMPTS }, () => ({ status: 503 })));
}

const pending = async (harness: Harness) => autoScanJobs(harness.app.ctx).pending();


describe('auto-scan follow-ups', () => {
  it('scans again what VirusTotal failed on, and answers the verdict once it recovers', async () => {
    const bot = await start(300);
    failScans(bot, 2); // the first scan and the first follow-up fail; the second follow-up succeeds
    const posted = await bot.discord.postMessage({ author: bot.discord.members.member, attachments: [eicar] });
    await bot.settled(posted);
    expect(bot.repliesTo(posted.id)).toHaveLength(0);
    const [followUp, ...more] = await pending(bot);
    expect(more).toHaveLength(0);
    expect(followUp?.payload).toMatchObject({ messageId: posted.id, attempt: 1, indicators: [{ kind: 'file', value: EICAR_SHA256 }] });

    await until(() => bot.repliesTo(posted.id).length > 0, 'a reply once VirusTotal recovered');
    await until(async () => (await pending(bot)).length === 0, 'the follow-up to be completed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [reply, ...others] = bot.repliesTo(posted.id);
    expect(others).toHaveLength(0);
    expect(JSON.stringify(reply?.embeds)).toContain('59/69');
    const lookups = bot.vt.requestsTo(EICAR_LOOKUP.path, 'GET');
    expect(lookups.map((r) => r.status)).toEqual([503, 503, 503, 503, 200]);
  });

  it('keeps a waiting follow-up across a restart and answers once after it', async () => {
    const bot = await start(2_000);
    failScans(bot, 1);
    const posted = await bot.discord.postMessage({ author: bot.discord.members.member, attachments: [eicar] });
    await bot.settled(posted);
    expect(await pending(bot)).toHaveLength(1);
    await bot.restart(); // while the follow-up waits for its time
    expect(bot.logs).toContainEqual(expect.objectContaining({ msg: 'resuming auto-scans left pending by the previous run', resumed: 1 }));
    expect(bot.repliesTo(posted.id)).toHaveLength(0);
    await until(() => bot.repliesTo(posted.id).length > 0, 'a reply after the restart');
    await until(async () => (await pending(bot)).length === 0, 'the follow-up to be completed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bot.repliesTo(posted.id)).toHaveLength(1);
    expect(bot.vt.requestsTo(EICAR_LOOKUP.path, 'GET').map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('answers a due follow-up after a restart even though the first scan of the message answered', async () => {
    const bot = await start(60_000);
    const url = 'https://evil-payload.xyz/drop.exe';
    bot.vt.addUrl(url, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
    const posted = await bot.discord.postMessage({ author: bot.discord.members.member, content: url });
    await bot.settled(posted);
    expect(bot.repliesTo(posted.id)).toHaveLength(1);
    // The follow-up of an attachment that failed in that scan, stored and due while the bot was down.
    await autoScanJobs(bot.app.ctx).add({
      type: 'autoscan', guildId: bot.discord.guild.id, channelId: posted.channel_id, messageId: posted.id,
      authorId: bot.discord.members.member.id, indicators: [{ kind: 'file', value: EICAR_SHA256, name: 'eicar.com', size: EICAR.length }],
      keys: ['attachment:x'], nonce: 'f0llow', attempt: 1, notBefore: Date.now(),
    });
    await bot.restart();
    await until(async () => (await pending(bot)).length === 0, 'the follow-up to be completed');
    const replies = bot.repliesTo(posted.id);
    expect(replies).toHaveLength(2);
    expect(JSON.stringify(replies[1]?.embeds)).toContain('59/69');
  });

  it('gives up after the last attempt, with a warning and a metric', async () => {
    const bot = await start(5);
    failScans(bot, MAX_ATTEMPTS + 1); // one more than it will try
    const posted = await bot.discord.postMessage({ author: bot.discord.members.member, attachments: [eicar] });
    await bot.settled(posted);
    await until(() => bot.app.ctx.metrics.value('vtguard_autoscan_gave_up_total') > 0, 'the scan to be given up');
    await until(async () => (await pending(bot)).length === 0, 'no job left');
    expect(bot.app.ctx.metrics.value('vtguard_autoscan_gave_up_total')).toBe(1);
    expect(bot.logs).toContainEqual(expect.objectContaining({ level: 40, msg: 'giving up on indicators VirusTotal could not check', messageId: posted.id }));
    expect(bot.vt.requestsTo(EICAR_LOOKUP.path, 'GET')).toHaveLength(MAX_ATTEMPTS * GATE_ATTEMPTS);
    expect(bot.repliesTo(posted.id)).toHaveLength(0);
  });
});

describe('follow-up timing', () => {
  const indicator = { kind: 'hash', value: EICAR_SHA256 } as const;
  const error: ScanOutcome = { status: 'error', indicator, error: new Error('503') };
  const now = Date.parse('2026-11-26T03:00:00Z');
  const quota: ScanOutcome = { status: 'quota', indicator, resetAt: '2026-11-27T00:00:00.000Z' };

  it.each([
    [1, 60_000],
    [2, 300_000],
    [3, 900_000],
    [4, 3_600_000],
  ])('waits longer after each failure (follow-up %i after %i ms)', (attempt, ms) => {
    expect(retryDelayMs([error], attempt, 60_000, now)).toBe(ms);
  });

  it('waits for the budget reset, a little past it, when the quota is spent', () => {
    expect(retryDelayMs([error, quota], 1, 60_000, now)).toBe(21 * 3_600_000 + 5_000);
  });

  it('stops after the last attempt and keeps only the failed indicators', () => {
    const job: AutoScanJob = { type: 'autoscan', guildId: 'g', channelId: 'c', messageId: 'm', authorId: null, indicators: [indicator], keys: ['k'], nonce: 'n' };
    const next = followUpOf(job, [error], 10, now);
    expect(next).toMatchObject({ attempt: 1, notBefore: now + 10, indicators: [indicator], keys: ['k'] });
    expect(next?.nonce).not.toBe('n');
    expect(followUpOf({ ...job, attempt: MAX_ATTEMPTS - 1 }, [error], 10, now)).toBeUndefined();
  });
});
