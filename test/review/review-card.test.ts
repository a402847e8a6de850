/** Review cards through the real bot: one card per flagged message, and its buttons at the wire. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EICAR, SEED } from '../support/vt-double.js';
import type { Harness } from '../support/autoscan-harness.js';
import { cardFor, cardText, current, press, startModeratingHarness, told } from './review-support.js';

const FLAGGED_URL = 'https://evil-review.xyz/drop.exe';
const TOKEN_URL = 'https://evil-token.xyz/reset?token=5f2b9c1e7a4d8e3f6b0c2a9d';
let h: Harness;

beforeAll(async () => {
  h = await startModeratingHarness();
  h.vt.addUrl(FLAGGED_URL, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
  h.vt.addDomain('evil-token.xyz', { verdict: { malicious: 9, harmless: 50, undetected: 10 } });
});
afterAll(async () => h.close());
beforeEach(async () => {
  await h.set('action', 'reply');
  await h.set('log_channel', h.discord.channels.log);
  await h.set('quorum', 1);
});

const eicar = { filename: 'eicar.com', bytes: Buffer.from(EICAR) };

describe('the review card', () => {
  it('is posted once per flagged message with author, jump link, defanged evidence, hashes, verdicts and buttons', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `grab it ${FLAGGED_URL}`, attachments: [eicar] });
    await h.settled(posted);
    const card = await cardFor(h, posted.id);
    const cards = h.discord.messages(h.discord.channels.log).filter((m) => m.content.includes(posted.id));
    expect(cards).toHaveLength(1);
    const text = cardText(card);
    expect(text).toContain(`<@${h.discord.members.member.id}>`);
    expect(text).toContain(`https://discord.com/channels/${h.discord.guild.id}/${posted.channel_id}/${posted.id}`);
    expect(text).toContain('hxxps://evil-review[.]xyz');
    expect(text).not.toContain(FLAGGED_URL);
    expect(text).toContain(SEED.eicar.sha256);
    expect(text).toContain('eicar\\[.\\]com'); // a file name that reads like a domain is defanged (and escaped)
    expect(JSON.stringify(card.embeds.slice(1))).toContain('59/69');
    expect(text).toMatch(/File `275a[0-9a-f]+` · 59 malicious, \d+ suspicious · \[VirusTotal\]\(https:\/\/www\.virustotal\.com\/gui\/file\//);
    const labels = JSON.stringify(card.components).match(/"label":"[^"]+"/g)?.map((l) => l.slice(9, -1));
    expect(labels).toEqual(['Delete message', 'Timeout', 'Kick', 'Ban', 'Allowlist', 'False positive', 'Rescan', 'Vote malicious', 'Vote harmless']);
    const call = await h.discord.waitFor((c) => c.method === 'POST' && c.path === `/channels/${h.discord.channels.log}/messages` && JSON.stringify(c.body).includes(posted.id));
    expect(call.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it('says when a URL was looked up by its domain only, and never shows its token', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `reset here ${TOKEN_URL}` });
    await h.settled(posted);
    const card = await cardFor(h, posted.id);
    const flagged = cardText(card).split('\n').find((l) => l.startsWith('Flagged:')) ?? '';
    expect(flagged).toContain('looked up by its domain only');
    expect(flagged).not.toContain('5f2b9c1e7a4d8e3f6b0c2a9d');
    expect(JSON.stringify(card.embeds.slice(1))).toContain('only its domain was looked up');
  });

  it('Delete message: refused to a member, then deletes with an audit reason naming the moderator and the card, evidence kept', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `again ${FLAGGED_URL}` });
    await h.settled(posted);
    const card = await cardFor(h, posted.id);
    const denied = await press(h, h.discord.members.member, card, 'delete');
    expect(await told(h, denied)).toMatch(/Manage Messages.*nothing was done/);
    expect(h.discord.message(posted.id)?.deleted).toBe(false);
    const ok = await press(h, h.discord.members.moderator, card, 'delete');
    expect(await told(h, ok)).toContain('Deleted the message');
    const del = await h.discord.waitForCall('DELETE', `/channels/${posted.channel_id}/messages/${posted.id}`);
    const reason = decodeURIComponent(del.headers['x-audit-log-reason'] ?? '');
    expect(reason).toContain(h.discord.members.moderator.id);
    expect(reason).toContain(card.id);
    const after = current(h, card);
    expect(cardText(after)).toContain('hxxps://evil-review[.]xyz');
    expect(cardText(after)).toMatch(new RegExp(`<@${h.discord.members.moderator.id}>: deleted the message`));
  });

  it('Timeout uses timeout_minutes; Kick is refused above the moderator\'s role and to members without Kick Members', async () => {
    await h.set('timeout_minutes', 30);
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `t ${FLAGGED_URL}` });
    await h.settled(posted);
    const card = await cardFor(h, posted.id);
    const before = Date.now();
    expect(await told(h, await press(h, h.discord.members.moderator, card, 'timeout'))).toContain('30 minutes');
    const until = Date.parse(h.discord.timeoutOf(h.discord.members.member.id) ?? '');
    expect(until - before).toBeGreaterThan(29 * 60_000);
    expect(until - before).toBeLessThan(31 * 60_000);
    // The admin has Manage Messages but not Kick Members.
    expect(await told(h, await press(h, h.discord.members.admin, card, 'kick'))).toMatch(/Kick Members/);
    const adminPost = await h.discord.postMessage({ author: h.discord.members.admin, content: `a ${FLAGGED_URL}` });
    await h.settled(adminPost);
    const adminCard = await cardFor(h, adminPost.id);
    expect(await told(h, await press(h, h.discord.members.moderator, adminCard, 'kick'))).toMatch(/not below yours/);
    expect(h.discord.calls.filter((c) => c.method === 'DELETE' && c.path.startsWith(`/guilds/${h.discord.guild.id}/members/`))).toHaveLength(0);
    expect(h.discord.isMember(h.discord.members.admin.id)).toBe(true);
    // Nobody acts on the server owner, whatever their permissions.
    const ownerPost = await h.discord.postMessage({ author: h.discord.members.owner, content: `o ${FLAGGED_URL}` });
    await h.settled(ownerPost);
    expect(await told(h, await press(h, h.discord.members.moderator, await cardFor(h, ownerPost.id), 'timeout'))).toMatch(/owner cannot be moderated/);
    expect(h.discord.timeoutOf(h.discord.members.owner.id)).toBeUndefined();
  });

  it('Vote and Rescan record on the card, and the card still works after a restart', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `v ${FLAGGED_URL}` });
    await h.settled(posted);
    const card = await cardFor(h, posted.id);
    await h.restart();
    expect(await told(h, await press(h, h.discord.members.moderator, card, 'vote-malicious'))).toContain('Recorded your **malicious** vote');
    expect(cardText(current(h, card))).toContain('1 malicious');
    const lookups = h.vt.requests.length;
    expect(await told(h, await press(h, h.discord.members.moderator, card, 'rescan'))).toContain('Rescanned: malicious');
    expect(h.vt.requests.length).toBeGreaterThan(lookups);
    expect(cardText(current(h, card))).toMatch(/rescanned: malicious/);
  });
});
