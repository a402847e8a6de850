/** automod_sync at the wire: votes feed one AutoMod keyword rule within Discord's limits; turning it off removes the rule. */
import { AutoModerationRuleTriggerType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keywordsFor, MAX_KEYWORDS, RULE_NAME } from '../../src/discord/automod.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { buttonId, messageOf, type MessageBody } from '../support/command-harness.js';
import { DEFAULT_BOT_PERMISSIONS } from '../support/discord-double/fixtures.js';
import type { InteractionHandle } from '../support/discord-double.js';

const PHISH = 'grab-nitro.xyz';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ discord: { botRolePermissions: DEFAULT_BOT_PERMISSIONS | P.ManageGuild } });
  h.vt.addDomain(PHISH, { verdict: { malicious: 2, harmless: 60, undetected: 10 } });
});
afterAll(async () => h.close());

async function sent(handle: InteractionHandle, match: (b: MessageBody) => boolean) {
  const call = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && match(messageOf(c.body)), 8000);
  return messageOf(call.body);
}
const config = (subcommand: string, options: Record<string, string>) => h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand, options });
const ours = () => h.discord.automodRules().filter((r) => r.name === RULE_NAME);

async function card(): Promise<{ id: string; body: MessageBody }> {
  const handle = await h.discord.runCommand({ member: h.discord.members.moderator, name: 'vt', subcommand: 'domain', options: { domain: PHISH } });
  const body = await sent(handle, (b) => b.embeds?.[0]?.title?.startsWith('Domain') === true);
  const message = h.discord.messages(h.discord.channels.general).filter((m) => m.interaction_metadata?.id === handle.id).at(-1);
  if (message === undefined) throw new Error('Expected the /vt domain card');
  return { id: message.id, body };
}

describe('automod_sync', () => {
  it('adds *domain* to one keyword rule when a malicious vote reaches the quorum, exempting only exempt roles and ignored channels', async () => {
    await sent(await config('exempt', { role: h.discord.roles.moderator }), (b) => b.content !== undefined);
    const on = await sent(await config('set', { setting: 'automod_sync', value: 'on' }), (b) => b.content !== undefined);
    expect(on.content).toContain('`automod_sync` is now **on**');
    expect(ours()).toEqual([]); // nothing confirmed yet: no empty rule
    const { id, body } = await card();
    await h.discord.pressButton({ member: h.discord.members.moderator, message: id, customId: buttonId(body, 'Vote malicious') });
    await h.discord.waitFor((c) => c.method === 'POST' && c.path === `/guilds/${h.discord.guild.id}/auto-moderation/rules`);
    const [rule] = ours();
    expect(ours()).toHaveLength(1);
    expect(rule?.trigger_type).toBe(AutoModerationRuleTriggerType.Keyword);
    expect(rule?.trigger_metadata.keyword_filter).toEqual([`*${PHISH}*`]);
    expect(rule?.exempt_roles).toEqual([h.discord.roles.moderator]);
    expect(rule?.exempt_channels).toEqual([]);
    expect(rule?.enabled).toBe(true);
  });

  it('points the rule\'s alert at the new log channel when log_channel changes', async () => {
    await sent(await config('set', { setting: 'log_channel', value: h.discord.channels.log }), (b) => b.content !== undefined);
    await h.discord.waitFor(() => ours()[0]?.actions.some((a) => a.metadata?.channel_id === h.discord.channels.log) === true);
    expect(ours()[0]?.actions.map((a) => a.type)).toEqual([1, 2]);
  });

  it('takes the domain out when the vote is changed to harmless (below the quorum), deleting the emptied rule', async () => {
    const { id, body } = await card();
    await h.discord.pressButton({ member: h.discord.members.moderator, message: id, customId: buttonId(body, 'Vote harmless') });
    await h.discord.waitFor((c) => c.method === 'DELETE' && c.path.startsWith(`/guilds/${h.discord.guild.id}/auto-moderation/rules/`));
    expect(ours()).toEqual([]);
    expect(await h.app.ctx.store.confirmed.list(h.discord.guild.id)).toEqual([]);
  });

  it('removes the rule when automod_sync is turned off, and leaves other rules alone', async () => {
    const { id, body } = await card();
    await h.discord.pressButton({ member: h.discord.members.moderator, message: id, customId: buttonId(body, 'Vote malicious') });
    await h.discord.waitFor(() => ours().length === 1);
    const off = await sent(await config('set', { setting: 'automod_sync', value: 'off' }), (b) => b.content !== undefined);
    expect(off.content).toContain('The AutoMod rule was removed');
    expect(ours()).toEqual([]);
  });
});

describe('keywordsFor', () => {
  it('keeps Discord\'s limits: 60 characters a keyword, the newest 1,000, oldest first', () => {
    const many = Array.from({ length: MAX_KEYWORDS + 5 }, (_, i) => ({ domain: `d${String(i)}.xyz`, at: i }));
    const long = { domain: `${'a'.repeat(60)}.xyz`, at: 5000 };
    const keywords = keywordsFor([...many, long]);
    expect(keywords).toHaveLength(MAX_KEYWORDS);
    expect(keywords[0]).toBe('*d5.xyz*');
    expect(keywords.at(-1)).toBe(`*d${String(MAX_KEYWORDS + 4)}.xyz*`);
    expect(keywords.every((k) => k.length <= 60)).toBe(true);
  });
});
