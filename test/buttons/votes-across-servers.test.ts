/**
 * Two servers share one bot and one VirusTotal key, but not their moderators: votes, tallies and
 * what a vote causes stay in the server they were cast in.
 */
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberFixture } from '../support/discord-double.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { SEED } from '../support/vt-double.js';
import { eventually } from '../support/wait.js';

let h: Harness;
beforeAll(async () => { h = await startHarness({ discord: { secondGuild: true } }); });
afterAll(async () => h.close());

const botReplyTo = (channelId: string, id: string): APIMessage | undefined => h.discord.messages(channelId)
  .find((m) => m.author.id === h.discord.botUser.id && m.message_reference?.message_id === id && (m.components?.length ?? 0) > 0);
const tallyOn = (messageId: string): string | undefined =>
  h.discord.message(messageId)?.message.embeds[0]?.fields?.find((f) => f.name === 'Moderator votes')?.value;
const buttonOf = (message: APIMessage, label: string): string =>
  (message.components?.[0] as { components: { custom_id?: string; label?: string }[] } | undefined)?.components.find((c) => c.label === label)?.custom_id ?? 'missing';

/** The bot's public /vt hash answer in a channel, once it shows the EICAR card. */
async function eicarCard(member: MemberFixture, channelId: string): Promise<APIMessage> {
  const before = new Set(h.discord.messages(channelId).map((m) => m.id));
  await h.discord.runCommand({ member, channelId, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
  return eventually(() => h.discord.messages(channelId).find((m) => !before.has(m.id) && m.embeds[0]?.title === 'File · malicious'));
}

async function vote(member: MemberFixture, message: APIMessage, label: 'Vote malicious' | 'Vote harmless'): Promise<void> {
  const press = await h.discord.pressButton({ member, message: message.id, customId: buttonOf(message, label) });
  await h.discord.waitFor((c) => h.discord.callsFor(press).includes(c) && JSON.stringify(c.body ?? '').includes('Recorded your'));
}

describe('votes per server', () => {
  it("shows server B's card its own tally, not server A's moderators' votes", async () => {
    const a = h.discord.guild;
    const b = h.discord.otherGuild;
    const cardA = await eicarCard(a.members.member, a.channels.general);
    await vote(a.members.moderator, cardA, 'Vote malicious');
    await vote(a.members.admin, cardA, 'Vote malicious');
    expect(tallyOn(cardA.id)).toBe('2 malicious · 0 harmless');

    const cardB = await eicarCard(b.members.member, b.channels.general);
    expect(tallyOn(cardB.id)).toBe('0 malicious · 0 harmless');
    await vote(b.members.moderator, cardB, 'Vote harmless');
    expect(tallyOn(cardB.id)).toBe('0 malicious · 1 harmless');
    // A's card was not touched by B's vote, and a new card in A still shows A's tally.
    expect(tallyOn(cardA.id)).toBe('2 malicious · 0 harmless');
    expect(tallyOn((await eicarCard(a.members.member, a.channels.general)).id)).toBe('2 malicious · 0 harmless');
  });

  it("deletes on server B's first malicious vote even when server A already voted malicious", async () => {
    const a = h.discord.guild;
    const b = h.discord.otherGuild;
    const url = 'https://harmless-looking-twice.xyz/';
    h.vt.addUrl(url, { verdict: { harmless: 60, undetected: 10 } });
    for (const guild of [a, b]) await h.app.ctx.store.settings.set(guild.id, 'report_clean', true);

    const postedA = await h.discord.postMessage({ author: a.members.member, channelId: a.channels.general, content: `see ${url}` });
    const answerA = await eventually(() => botReplyTo(a.channels.general, postedA.id));
    await vote(a.members.moderator, answerA, 'Vote malicious');
    expect(h.discord.message(postedA.id)?.deleted).toBe(false); // A's action is reply: nothing deleted

    const postedB = await h.discord.postMessage({ author: b.members.member, channelId: b.channels.general, content: `see ${url}` });
    const answerB = await eventually(() => botReplyTo(b.channels.general, postedB.id));
    expect(answerB.embeds[0]?.fields?.find((f) => f.name === 'Moderator votes')?.value).toBe('0 malicious · 0 harmless');
    await h.app.ctx.store.settings.set(b.id, 'action', 'delete');
    await vote(b.members.moderator, answerB, 'Vote malicious');
    await eventually(() => (h.discord.message(postedB.id)?.deleted === true ? true : undefined));
    expect(h.discord.message(postedA.id)?.deleted).toBe(false);
  });
});
