/** upload_files ask: a consent card for a file VirusTotal has never seen, and its Upload button; hash allowlist. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EICAR, SEED } from '../support/vt-double.js';
import type { Harness } from '../support/autoscan-harness.js';
import { cardFor, current, eventually, press, startModeratingHarness, told } from './review-support.js';

let h: Harness;
const UNSEEN = Buffer.from('MZ a dropper nobody uploaded yet');
const UNSEEN_SHA = createHash('sha256').update(UNSEEN).digest('hex');

beforeAll(async () => {
  h = await startModeratingHarness();
  // Unknown until analysed; what its analysis finds once uploaded.
  h.vt.addFile({ content: UNSEEN, name: 'dropper.exe', known: false, verdict: { malicious: 30, undetected: 40, label: 'trojan' } });
});
afterAll(async () => h.close());
beforeEach(async () => {
  await h.set('action', 'reply');
  await h.set('log_channel', h.discord.channels.log);
});

const consentText = (m: { embeds: { description?: string }[] }): string => m.embeds[0]?.description ?? '';

describe('upload_files ask', () => {
  it('is the default, and posts a consent card instead of uploading', async () => {
    expect((await h.app.ctx.store.settings.get(h.discord.guild.id)).uploadMode).toBe('ask');
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'try this', attachments: [{ filename: 'dropper.exe', bytes: UNSEEN }] });
    await h.settled(posted);
    const card = await cardFor(h, posted.id, 'Unknown to VirusTotal');
    const text = consentText(card);
    expect(text).toContain('dropper');
    expect(text).toContain(UNSEEN_SHA);
    expect(text).toContain(`${UNSEEN.length} B`);
    expect(text).toContain(`https://discord.com/channels/${h.discord.guild.id}/${posted.channel_id}/${posted.id}`);
    expect(text).toContain('shares the file with VirusTotal');
    expect(JSON.stringify(card.components)).toContain('Upload to VirusTotal');
    expect(h.vt.uploads).toHaveLength(0);

    // Without Manage Messages: an ephemeral no, and nothing leaves the server.
    expect(await told(h, await press(h, h.discord.members.member, card, 'upload'))).toMatch(/Manage Messages/);
    expect(h.vt.uploads).toHaveLength(0);

    const before = h.discord.calls.length;
    expect(await told(h, await press(h, h.discord.members.moderator, card, 'upload'))).toContain('Uploading');
    await eventually(() => consentText(current(h, card)).includes('Result: **malicious**'));
    expect(h.vt.uploads.map((u) => u.sha256)).toEqual([UNSEEN_SHA]);
    // The message was fetched again for a fresh CDN link before the download.
    expect(h.discord.calls.slice(before).some((c) => c.method === 'GET' && c.path === `/channels/${posted.channel_id}/messages/${posted.id}`)).toBe(true);
    expect(consentText(current(h, card))).toContain(`<@${h.discord.members.moderator.id}> agreed to upload it.`);
    // The card followed the analysis on the way.
    expect(h.discord.message(card.id)?.history.some((v) => (v.embeds[0]?.description ?? '').includes('VirusTotal is analysing it'))).toBe(true);
    // Flagged: the server's action (a reply) on the original message, and a review card.
    await eventually(() => h.repliesTo(posted.id).length === 1);
    await cardFor(h, posted.id);
    // A second press uploads nothing more.
    expect(await told(h, await press(h, h.discord.members.owner, card, 'upload'))).toContain('already');
    expect(h.vt.uploads).toHaveLength(1);
  });

  it('posts no consent card when upload_files is off', async () => {
    await h.set('upload_files', 'off');
    const other = Buffer.from('MZ another unseen file');
    const posted = await h.discord.postMessage({ author: h.discord.members.member, attachments: [{ filename: 'other.exe', bytes: other }] });
    await h.settled(posted);
    expect(h.discord.messages(h.discord.channels.log).filter((m) => JSON.stringify(m.embeds).includes(posted.id))).toHaveLength(0);
    await h.set('upload_files', 'ask');
  });
});

describe('hash allowlist', () => {
  it('skips a file whose sha256 the server allowlisted: no look-up, no answer', async () => {
    await h.app.ctx.store.settings.allowHash(h.discord.guild.id, SEED.eicar.sha256);
    const before = h.vt.requestsTo(new RegExp(`/files/${SEED.eicar.sha256}`)).length;
    const posted = await h.discord.postMessage({ author: h.discord.members.moderator, attachments: [{ filename: 'eicar.com', bytes: Buffer.from(EICAR) }] });
    await h.settled(posted);
    expect(h.vt.requestsTo(new RegExp(`/files/${SEED.eicar.sha256}`))).toHaveLength(before);
    expect(h.repliesTo(posted.id)).toHaveLength(0);
  });
});
