/** Auto-scan through the real bot: what members post, what the bot answers, what VirusTotal sees. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EICAR, SEED } from '../support/vt-double.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';

const FLAGGED_URL = 'https://evil-payload.xyz/drop.exe';
const OTHER_FLAGGED_URL = 'https://second-payload.xyz/run.exe';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  for (const url of [FLAGGED_URL, OTHER_FLAGGED_URL]) h.vt.addUrl(url, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
});
afterAll(async () => h.close());
beforeEach(async () => {
  await h.set('action', 'reply');
  await h.set('report_clean', false);
  await h.set('log_channel', null);
});

const eicar = { filename: 'eicar.com', bytes: Buffer.from(EICAR) };

describe('auto-scan', () => {
  it('replies to a message carrying the EICAR file with its verdict, pinging nobody', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'here you go', attachments: [eicar] });
    await h.settled(posted);
    const [reply, ...more] = h.repliesTo(posted.id);
    expect(more).toHaveLength(0);
    expect(JSON.stringify(reply?.embeds)).toContain('59/69');
    expect(JSON.stringify(reply?.embeds)).toContain('Moderator votes');
    const call = await h.discord.waitFor((c) => c.method === 'POST' && (c.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === posted.id);
    expect(call.body).toMatchObject({ allowed_mentions: { parse: [], replied_user: false }, message_reference: { fail_if_not_exists: false } });
  });

  it('pings nobody when the scanned message mentions @everyone in markdown', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `@everyone **free nitro** → ${FLAGGED_URL} <@${h.discord.members.moderator.id}>` });
    await h.settled(posted);
    expect(h.repliesTo(posted.id)).toHaveLength(1);
    const call = await h.discord.waitFor((c) => c.method === 'POST' && JSON.stringify(c.body).includes(posted.id));
    expect(call.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(JSON.stringify(call.body)).not.toContain(FLAGGED_URL); // defanged
  });

  it('deletes a flagged message under action=delete and reports it in the log channel', async () => {
    await h.set('action', 'delete');
    await h.set('log_channel', h.discord.channels.log);
    const posted = await h.discord.postMessage({ author: h.discord.members.member, attachments: [eicar] });
    await h.discord.waitForCall('DELETE', `/channels/${posted.channel_id}/messages/${posted.id}`);
    const logged = await h.discord.waitFor((c) => c.method === 'POST' && c.path === `/channels/${h.discord.channels.log}/messages`);
    const body = logged.body as { content: string; embeds: unknown[] };
    expect(body.content).toContain(`<@${h.discord.members.member.id}>`);
    expect(body.content).toContain(`<#${posted.channel_id}>`);
    expect(JSON.stringify(body.embeds)).toContain('59/69');
    expect(h.discord.message(posted.id)?.deleted).toBe(true);
  });

  it('stays silent on a clean link, and answers it when report_clean is on', async () => {
    const before = h.vt.requests.length;
    const quiet = await h.discord.postMessage({ author: h.discord.members.member, content: `docs: ${SEED.cleanUrl}` });
    await h.settled(quiet);
    expect(h.vt.requests.slice(before).map((r) => r.path)).toEqual([expect.stringMatching(/^\/api\/v3\/urls\//)]);
    expect(h.repliesTo(quiet.id)).toHaveLength(0);
    await h.set('report_clean', true);
    const loud = await h.discord.postMessage({ author: h.discord.members.member, content: `docs again: ${SEED.cleanUrl}` });
    await h.settled(loud);
    expect(h.repliesTo(loud.id)).toHaveLength(1);
  });

  it('scans a defanged link', async () => {
    const before = h.vt.requests.length;
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'login here hxxps://paypa1-login[.]com/x' });
    await h.settled(posted);
    const urlLookups = h.vt.requests.slice(before).filter((r) => r.path.startsWith('/api/v3/urls'));
    expect(urlLookups.length).toBeGreaterThan(0);
  });

  it('spends no VirusTotal request on an allowlisted domain', async () => {
    const before = h.vt.requests.length;
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'watch https://www.youtube.com/watch?v=dQw4w9WgXcQ or youtube.com' });
    await h.settled(posted);
    expect(h.vt.requests.slice(before)).toEqual([]);
  });

  it('scans only what an edit adds', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `see ${FLAGGED_URL}` });
    await h.settled(posted);
    expect(h.repliesTo(posted.id)).toHaveLength(1);
    const edited = await h.discord.editMessage({ messageId: posted.id, content: `see ${FLAGGED_URL} and ${OTHER_FLAGGED_URL}` });
    await h.settled(edited);
    const replies = h.repliesTo(posted.id);
    expect(replies).toHaveLength(2);
    const second = JSON.stringify(replies.find((r) => r.id !== replies[0]?.id && JSON.stringify(r.embeds).includes('second-payload'))?.embeds);
    expect(second).toContain('second-payload');
    expect(second).not.toContain('evil-payload');
    const typo = await h.discord.editMessage({ messageId: posted.id, content: `See ${FLAGGED_URL} and ${OTHER_FLAGGED_URL}` });
    await h.settled(typo);
    expect(h.repliesTo(posted.id)).toHaveLength(2);
  });

  it('scans a link embed that arrives later once, and only what it adds', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `look ${FLAGGED_URL}` });
    await h.settled(posted);
    // Discord's link preview: same content, the embed carries the URL (and here a redirect target).
    const previewed = await h.discord.editMessage({ messageId: posted.id, embeds: [{ url: FLAGGED_URL, title: 'preview' }] });
    await h.settled(previewed);
    expect(h.repliesTo(posted.id)).toHaveLength(1);
    const redirected = await h.discord.editMessage({ messageId: posted.id, embeds: [{ url: FLAGGED_URL }, { url: OTHER_FLAGGED_URL }] });
    await h.settled(redirected);
    expect(h.repliesTo(posted.id)).toHaveLength(2);
  });

  it('looks up at most 20 indicators of one message and logs the rest', async () => {
    const before = h.vt.requests.length;
    const hashes = Array.from({ length: 25 }, (_, i) => createHash('sha256').update(`sample ${i}`).digest('hex'));
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: hashes.join('\n') });
    await h.settled(posted);
    expect(h.vt.requests.slice(before).filter((r) => r.path.startsWith('/api/v3/files/'))).toHaveLength(20);
    expect(h.logs).toContainEqual(expect.objectContaining({ level: 40, skipped: 5, messageId: posted.id }));
  });

  it('scans the content and files of a forwarded message', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, messageSnapshots: [{ content: 'fwd', attachments: [eicar] }] });
    await h.settled(posted);
    expect(JSON.stringify(h.repliesTo(posted.id)[0]?.embeds)).toContain('59/69');
  });

  it('ignores other bots', async () => {
    const otherBot = { id: '1099511627776000001', username: 'feedbot', bot: true, roles: [] };
    const before = h.vt.requests.length;
    const posted = await h.discord.postMessage({ author: otherBot, attachments: [eicar], content: FLAGGED_URL });
    await h.settled(posted);
    expect(h.vt.requests.slice(before)).toEqual([]);
    expect(h.repliesTo(posted.id)).toHaveLength(0);
  });
});
