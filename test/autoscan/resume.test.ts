/** After a crash every scanned message still gets exactly one answer. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autoScanJobs } from '../../src/autoscan/jobs.js';
import { EICAR } from '../support/vt-double.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { until } from '../support/wait.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());


describe('auto-scan resume', () => {
  it('answers a message once when the bot stopped mid-scan', async () => {
    // VirusTotal answers the file look-up slowly, so the bot is stopped while the scan waits.
    h.vt.fault({ method: 'GET', path: /^\/api\/v3\/files\// }, { delayMs: 1_500 });
    const posted = await h.discord.postMessage({ author: h.discord.members.member, attachments: [{ filename: 'eicar.com', bytes: Buffer.from(EICAR) }] });
    await until(async () => (await autoScanJobs(h.app.ctx).pending()).length === 1, 'the job to be recorded');
    await h.restart();
    await until(() => h.repliesTo(posted.id).length > 0, 'a reply after the restart');
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the old run's slow answer has come back by now
    expect(h.repliesTo(posted.id)).toHaveLength(1);
    expect(h.logs).toContainEqual(expect.objectContaining({ msg: 'resuming auto-scans left pending by the previous run', resumed: 1 }));
    expect(await autoScanJobs(h.app.ctx).pending()).toEqual([]);
  });

  it('does not answer again when the bot stopped after replying but before completing the job', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, attachments: [{ filename: 'eicar.com', bytes: Buffer.from(EICAR) }] });
    await h.settled(posted);
    expect(h.repliesTo(posted.id)).toHaveLength(1);
    // The job as it was stored before the answer went out.
    await autoScanJobs(h.app.ctx).add({
      type: 'autoscan', guildId: h.discord.guild.id, channelId: posted.channel_id, messageId: posted.id,
      authorId: h.discord.members.member.id, indicators: [{ kind: 'hash', value: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' }],
      keys: ['attachment:x'], nonce: 'n0nce',
    });
    await h.restart();
    await until(async () => (await autoScanJobs(h.app.ctx).pending()).length === 0, 'the job to be completed');
    expect(h.repliesTo(posted.id)).toHaveLength(1);
  });

  it('does not report a deleted message twice in the log channel after a restart', async () => {
    await h.app.ctx.store.settings.set(h.discord.guild.id, 'action', 'delete');
    await h.app.ctx.store.settings.set(h.discord.guild.id, 'log_channel', h.discord.channels.log);
    const posted = await h.discord.postMessage({ author: h.discord.members.member, attachments: [{ filename: 'eicar.com', bytes: Buffer.from(EICAR) }] });
    const logPosts = (): number => h.discord.messages(h.discord.channels.log).filter((m) => m.content.includes(posted.id)).length;
    await until(() => logPosts() === 1, 'the deletion to be reported');
    await until(async () => (await autoScanJobs(h.app.ctx).pending()).length === 0, 'the job to be completed');
    await autoScanJobs(h.app.ctx).add({
      type: 'autoscan', guildId: h.discord.guild.id, channelId: posted.channel_id, messageId: posted.id,
      authorId: h.discord.members.member.id, indicators: [{ kind: 'hash', value: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' }],
      keys: ['attachment:x'], nonce: 'n0nce2',
    });
    await h.restart();
    await until(async () => (await autoScanJobs(h.app.ctx).pending()).length === 0, 'the resumed job to be completed');
    expect(logPosts()).toBe(1);
  });

  it('still scans a deferred part after a restart although the message was answered after it was due', async () => {
    const first = 'https://first-part.xyz/a.exe';
    const deferred = 'https://deferred-part.xyz/b.exe';
    for (const url of [first, deferred]) h.vt.addUrl(url, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
    const dueAt = Date.now() - 1_000;
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `${first} and more` });
    await h.settled(posted);
    expect(h.repliesTo(posted.id)).toHaveLength(1);
    // The rest of the message, deferred by the backlog (deferred.ts), due before that answer went
    // out, and never started before the stop: the answer above is not its own.
    await autoScanJobs(h.app.ctx).add({
      type: 'autoscan', guildId: h.discord.guild.id, channelId: posted.channel_id, messageId: posted.id,
      authorId: h.discord.members.member.id, indicators: [{ kind: 'url', value: deferred }],
      keys: [`url:${deferred}`], nonce: 'deferred0', attempt: 0, notBefore: dueAt,
    });
    await h.restart();
    await until(() => h.repliesTo(posted.id).length === 2, 'the deferred part to be answered');
    await until(async () => (await autoScanJobs(h.app.ctx).pending()).length === 0, 'the deferred job to be completed');
    expect(h.vt.requests.filter((r) => r.path.startsWith('/api/v3/urls/'))).toHaveLength(2);
  });
});
