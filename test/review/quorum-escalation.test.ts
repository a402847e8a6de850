/** Kick and Ban with a quorum and the DM before them, False positive, Allowlist, and escalation. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/autoscan-harness.js';
import { cardFor, cardText, current, eventually, press, startModeratingHarness, told } from './review-support.js';

const FLAGGED_URL = 'https://evil-quorum.xyz/drop.exe';
let h: Harness;

const ALLOWED_URL = 'https://evil-allowed.xyz/x.exe';
const ESCALATION_URL = 'https://evil-again.xyz/x.exe';

beforeAll(async () => {
  h = await startModeratingHarness();
  for (const url of [FLAGGED_URL, ALLOWED_URL, ESCALATION_URL]) h.vt.addUrl(url, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
});
afterAll(async () => h.close());
beforeEach(async () => {
  await h.set('action', 'reply');
  await h.set('log_channel', h.discord.channels.log);
  await h.set('quorum', 1);
  await h.set('escalation', 0);
});

async function flaggedCard(text: string, url = FLAGGED_URL, author = h.discord.members.member) {
  const posted = await h.discord.postMessage({ author, content: `${text} ${url}` });
  await h.settled(posted);
  return { posted, card: await cardFor(h, posted.id) };
}

describe('escalation, allowlist and false positive', () => {
  it('times a member out on their N-th flagged post within 24 hours, recorded on that card; False positive lifts it', async () => {
    await h.set('escalation', 2);
    await h.set('timeout_minutes', 15);
    const first = await flaggedCard('one', ESCALATION_URL);
    expect(h.discord.timeoutOf(h.discord.members.member.id)).toBeUndefined();
    expect(cardText(current(h, first.card))).not.toContain('escalation');
    const second = await flaggedCard('two', ESCALATION_URL);
    const patch = await h.discord.waitForCall('PATCH', `/guilds/${h.discord.guild.id}/members/${h.discord.members.member.id}`);
    expect(decodeURIComponent(patch.headers['x-audit-log-reason'] ?? '')).toContain('2 flagged posts in 24 hours');
    expect(Date.parse(h.discord.timeoutOf(h.discord.members.member.id) ?? '') - Date.now()).toBeGreaterThan(14 * 60_000);
    await eventually(() => cardText(current(h, second.card)).includes('vt-guard: timed the author out for 15 minutes'));
    // A member without Manage Messages cannot mark a false positive.
    expect(await told(h, await press(h, h.discord.members.member, second.card, 'false-positive'))).toMatch(/Manage Messages/);
    const said = await told(h, await press(h, h.discord.members.moderator, second.card, 'false-positive'));
    expect(said).toMatch(/removed the bot's reply; lifted the timeout; allowlisted `evil-again\.xyz`/);
    expect(h.discord.timeoutOf(h.discord.members.member.id)).toBeNull();
    expect(h.repliesTo(second.posted.id)).toHaveLength(0);
  });

  it('Allowlist adds the domain for this server: the next post with it costs no request and gets no card', async () => {
    const { card } = await flaggedCard('first', ALLOWED_URL);
    expect(await told(h, await press(h, h.discord.members.moderator, card, 'allow'))).toContain('`evil-allowed.xyz`');
    expect(cardText(current(h, card))).toContain(`<@${h.discord.members.moderator.id}>: allowlisted`);
    const requests = h.vt.requests.length;
    const again = await h.discord.postMessage({ author: h.discord.members.member, content: `again ${ALLOWED_URL}` });
    await h.settled(again);
    expect(h.vt.requests.length).toBe(requests);
    expect(h.discord.messages(h.discord.channels.log).filter((m) => m.content.includes(again.id))).toHaveLength(0);
  });

  it('kicks when DMs are closed, and the card says the DM could not be delivered', async () => {
    const { card } = await flaggedCard('kick');
    h.discord.closeDms(h.discord.members.member.id);
    expect(await told(h, await press(h, h.discord.members.moderator, card, 'kick'))).toContain('Kicked the author; the DM could not be delivered');
    expect(h.discord.isMember(h.discord.members.member.id)).toBe(false);
    expect(cardText(current(h, card))).toContain('the DM to the author could not be delivered');
  });
});

describe('quorum, DMs and bans', () => {
  it('counts two moderators pressing Ban at once exactly once each (presses are serialised per card)', async () => {
    await h.set('quorum', 3);
    const { card } = await flaggedCard('together');
    const [a, b] = await Promise.all([
      press(h, h.discord.members.moderator, card, 'ban'),
      press(h, h.discord.members.owner, card, 'ban'),
    ]);
    const said = (await Promise.all([told(h, a), told(h, b)])).map((line) => /Ban: (\d) of 3/.exec(line)?.[1]).sort();
    expect(said).toEqual(['1', '2']);
    await eventually(() => cardText(current(h, card)).includes('Ban: 2 of 3'));
    expect(h.discord.calls.filter((c) => c.method === 'PUT' && c.path.includes('/bans/'))).toHaveLength(0);
  });

  it('bans only once two distinct moderators pressed, showing who pressed, after a DM with the server name and appeal text', async () => {
    await h.set('quorum', 2);
    await h.set('appeal_text', 'Write to appeals@example.com');
    const { card } = await flaggedCard('ban me');
    h.discord.openDms(h.discord.members.member.id);
    const user = h.discord.members.member.id;
    expect(await told(h, await press(h, h.discord.members.moderator, card, 'ban'))).toContain('1 of 2');
    expect(cardText(current(h, card))).toContain(`Ban: 1 of 2 — <@${h.discord.members.moderator.id}>`);
    // The same moderator again does not count twice.
    expect(await told(h, await press(h, h.discord.members.moderator, card, 'ban'))).toContain('1 of 2');
    expect(h.discord.ban(user)).toBeUndefined();
    expect(h.discord.dms).toHaveLength(0);
    expect(await told(h, await press(h, h.discord.members.owner, card, 'ban'))).toContain('Banned the author; they were told by DM');
    expect(h.discord.ban(user)).toEqual({ deleteMessageSeconds: 3600 });
    const dm = h.discord.dms.at(-1);
    expect(dm?.userId).toBe(user);
    expect(dm?.message.content).toContain(h.discord.guild.name);
    expect(dm?.message.content).toContain('Write to appeals@example.com');
    const dmAt = h.discord.calls.findIndex((c) => c.path.startsWith('/channels/') && c.method === 'POST' && JSON.stringify(c.body).includes('appeals@'));
    const banAt = h.discord.calls.findIndex((c) => c.method === 'PUT' && c.path === `/guilds/${h.discord.guild.id}/bans/${user}`);
    expect(dmAt).toBeGreaterThan(-1);
    expect(banAt).toBeGreaterThan(dmAt);
    const reason = decodeURIComponent(h.discord.calls[banAt]?.headers['x-audit-log-reason'] ?? '');
    expect(reason).toContain(h.discord.members.owner.id);
    expect(reason).toContain(card.id);
    expect(cardText(current(h, card))).toContain('banned the author');
    // False positive lifts the ban (the owner may) and allowlists the domain.
    expect(await told(h, await press(h, h.discord.members.owner, card, 'false-positive'))).toMatch(/lifted the ban.*allowlisted `evil-quorum\.xyz`/);
    expect(h.discord.ban(user)).toBeUndefined();
    expect((await h.app.ctx.store.settings.get(h.discord.guild.id)).allowlist).toContain('evil-quorum.xyz');
    expect(current(h, card).embeds[0]?.title).toBe('Review · marked a false positive');
  });
});
