/**
 * The merge of scope with review cards at the wire: a card's Ban confirms its domains into the AutoMod
 * rule and False positive takes them out; a malicious vote confirms only once `quorum` moderators cast it.
 */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RULE_NAME } from '../../src/discord/automod.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { buttonId, messageOf, type MessageBody } from '../support/command-harness.js';
import { MODERATING_BOT_PERMISSIONS } from '../support/discord-double.js';
import type { InteractionHandle } from '../support/discord-double.js';
import { cardFor, eventually, press, told } from '../review/review-support.js';

const BANNED_URL = 'https://evil-banned.xyz/drop.exe';
const PHISH = 'quorum-phish.xyz';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ discord: { botRolePermissions: MODERATING_BOT_PERMISSIONS | P.ManageGuild } });
  h.vt.addUrl(BANNED_URL, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
  h.vt.addDomain(PHISH, { verdict: { malicious: 2, harmless: 60, undetected: 10 } });
});
afterAll(async () => h.close());
beforeEach(async () => {
  await h.set('log_channel', h.discord.channels.log);
  await h.set('automod_sync', true);
  await h.set('quorum', 1);
});

const ours = () => h.discord.automodRules().filter((r) => r.name === RULE_NAME);
const keywords = () => ours()[0]?.trigger_metadata.keyword_filter ?? [];

async function sent(handle: InteractionHandle, match: (b: MessageBody) => boolean) {
  const call = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && match(messageOf(c.body)), 8000);
  return messageOf(call.body);
}

async function votesOn(domain: string): Promise<number> {
  const entries = await h.app.ctx.store.history.recent(h.discord.guild.id, { days: 1, now: Date.now(), target: domain });
  return entries.filter((e) => e.kind === 'vote').length;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 8000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Expected the condition within the deadline');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('review cards and the AutoMod rule', () => {
  it('a Ban from a review card puts the URL\'s host in the rule; False positive takes it out and deletes the emptied rule', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `get it ${BANNED_URL}` });
    await h.settled(posted);
    const card = await cardFor(h, posted.id);
    expect(ours()).toEqual([]);
    expect(await told(h, await press(h, h.discord.members.moderator, card, 'ban'))).toContain('Banned the author');
    await eventually(() => keywords().includes('*evil-banned.xyz*'));
    expect((await h.app.ctx.store.confirmed.list(h.discord.guild.id)).map((d) => d.domain)).toEqual(['evil-banned.xyz']);
    await told(h, await press(h, h.discord.members.moderator, card, 'false-positive'));
    await eventually(() => ours().length === 0);
    expect(await h.app.ctx.store.confirmed.list(h.discord.guild.id)).toEqual([]);
  });

  it('confirms a voted domain only when the quorum of malicious votes is reached', async () => {
    await h.set('quorum', 2);
    const startAt = h.discord.calls.length;
    const handle = await h.discord.runCommand({ member: h.discord.members.moderator, name: 'vt', subcommand: 'domain', options: { domain: PHISH } });
    const body = await sent(handle, (b) => b.embeds?.[0]?.title?.startsWith('Domain') === true);
    const message = h.discord.messages(h.discord.channels.general).filter((m) => m.interaction_metadata?.id === handle.id).at(-1);
    if (message === undefined) throw new Error('Expected the /vt domain card');
    const vote = (member: typeof h.discord.members.moderator) => h.discord.pressButton({ member, message: message.id, customId: buttonId(body, 'Vote malicious') });
    await sent(await vote(h.discord.members.moderator), (b) => b.flags === 64);
    // The vote is recorded in the trail just before the quorum is checked; give that check time to act.
    await until(async () => (await votesOn(PHISH)) === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await h.app.ctx.store.confirmed.list(h.discord.guild.id)).toEqual([]);
    expect(ours()).toEqual([]);
    const secondAt = h.discord.calls.length;
    await sent(await vote(h.discord.members.owner), (b) => b.flags === 64);
    await eventually(() => keywords().includes(`*${PHISH}*`));
    const creates = (from: number, to?: number) => h.discord.calls.slice(from, to).filter((c) => c.method === 'POST' && c.path === `/guilds/${h.discord.guild.id}/auto-moderation/rules`);
    expect(creates(startAt, secondAt)).toEqual([]);
    expect(creates(secondAt)).toHaveLength(1);
  });
});
