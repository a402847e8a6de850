/** /vt-config ignore/unignore/exempt/unexempt, the auto-scan gate, set's refusals, the change log and autocomplete, at the wire. */
import { MessageFlags, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { messageOf } from '../support/command-harness.js';
import type { InteractionHandle } from '../support/discord-double.js';
import { SEED } from '../support/vt-double.js';

const FLAGGED_URL = 'https://evil-payload.xyz/drop.exe';
const FLAGGED_DOMAIN = 'phish-login.xyz';
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.vt.addUrl(FLAGGED_URL, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
  h.vt.addDomain(FLAGGED_DOMAIN, { verdict: { malicious: 9, harmless: 40, undetected: 17, label: 'phishing' } });
  await h.set('log_channel', h.discord.channels.log);
});
afterAll(async () => h.close());

async function answer(handle: InteractionHandle): Promise<{ content?: string; flags?: number; embeds?: { description?: string }[]; choices?: { name: string; value: string }[] }> {
  const call = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && c.method === 'POST');
  return messageOf(call.body);
}

const config = (subcommand: string, options: Record<string, string>, member = h.discord.members.admin) =>
  h.discord.runCommand({ member, name: 'vt-config', subcommand, options });

const logLines = (): string[] => h.discord.messages(h.discord.channels.log).map((m) => m.content);

describe('ignored channels and exempt roles', () => {
  it('does not auto-scan an ignored channel, lists it in show, and scans it again after unignore', async () => {
    const ignore = await answer(await config('ignore', { channel: h.discord.channels.links }));
    expect(ignore.flags).toBe(MessageFlags.Ephemeral);
    expect(ignore.content).toContain(`<#${h.discord.channels.links}> is no longer auto-scanned`);
    const lookups = h.vt.requests.length;
    const skipped = await h.discord.postMessage({ author: h.discord.members.member, channelId: h.discord.channels.links, content: `see ${FLAGGED_URL}` });
    await h.settled(skipped);
    expect(h.repliesTo(skipped.id, h.discord.channels.links)).toEqual([]);
    expect(h.vt.requests.length).toBe(lookups);

    const show = await answer(await config('show', {}));
    expect(show.embeds?.[0]?.description).toContain(`**Ignored channels** (not auto-scanned): <#${h.discord.channels.links}>`);

    await answer(await config('unignore', { channel: h.discord.channels.links }));
    const scanned = await h.discord.postMessage({ author: h.discord.members.member, channelId: h.discord.channels.links, content: `again ${FLAGGED_URL}` });
    await h.settled(scanned);
    expect(h.repliesTo(scanned.id, h.discord.channels.links)).toHaveLength(1);
  });

  it('does not auto-scan members with an exempt role, but still scans everyone else', async () => {
    await answer(await config('exempt', { role: h.discord.roles.moderator }));
    const byModerator = await h.discord.postMessage({ author: h.discord.members.moderator, content: `mod posts ${FLAGGED_DOMAIN}` });
    const byMember = await h.discord.postMessage({ author: h.discord.members.member, content: `member posts ${FLAGGED_DOMAIN}` });
    await h.settled(byModerator);
    await h.settled(byMember);
    expect(h.repliesTo(byModerator.id)).toEqual([]);
    expect(h.repliesTo(byMember.id)).toHaveLength(1);
    const again = await answer(await config('exempt', { role: h.discord.roles.moderator }));
    expect(again.content).toContain('nothing changed');
    await answer(await config('unexempt', { role: h.discord.roles.moderator }));
    expect((await h.app.ctx.store.settings.get(h.discord.guild.id)).exemptRoles).toEqual([]);
  });

  it('still answers commands in an ignored channel', async () => {
    await answer(await config('ignore', { channel: h.discord.channels.general }));
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'domain', options: { domain: SEED.maliciousDomain } });
    await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && JSON.stringify(c.body).includes('malicious'), 8000);
    await answer(await config('unignore', { channel: h.discord.channels.general }));
  });

  it('posts every change to the log channel: who, what, old → new', async () => {
    await answer(await config('set', { setting: 'report_clean', value: 'on' }));
    await answer(await config('set', { setting: 'report_clean', value: 'off' }));
    await answer(await config('ignore', { channel: h.discord.channels.links }));
    const lines = logLines();
    expect(lines).toContain(`⚙️ <@${h.discord.members.admin.id}> changed **report_clean**: **off** → **on**`);
    expect(lines).toContain(`⚙️ <@${h.discord.members.admin.id}> changed **report_clean**: **on** → **off**`);
    expect(lines).toContain(`⚙️ <@${h.discord.members.admin.id}> changed **ignored channels**: none → <#${h.discord.channels.links}>`);
    await answer(await config('unignore', { channel: h.discord.channels.links }));
  });
});

describe('/vt-config set refuses what the bot cannot do', () => {
  it('takes log_channel as a mention or an id, and refuses a channel the bot cannot send to', async () => {
    const byMention = await answer(await config('set', { setting: 'log_channel', value: `<#${h.discord.channels.general}>` }));
    expect(byMention.content).toContain(`<#${h.discord.channels.general}>`);
    h.discord.denyBot(h.discord.channels.links, P.SendMessages);
    // The overwrite reaches the bot as CHANNEL_UPDATE, as on Discord.
    const overwritten = (): boolean => {
      const channel = h.app.client?.channels.cache.get(h.discord.channels.links);
      return channel !== undefined && 'permissionOverwrites' in channel && channel.permissionOverwrites.cache.size > 0;
    };
    for (let i = 0; i < 100 && !overwritten(); i += 1) await new Promise((r) => setTimeout(r, 10));
    const refused = await answer(await config('set', { setting: 'log_channel', value: h.discord.channels.links }));
    expect(refused.content).toContain('I lack Send Messages');
    expect((await h.app.ctx.store.settings.get(h.discord.guild.id)).logChannel).toBe(h.discord.channels.general);
    await answer(await config('set', { setting: 'log_channel', value: h.discord.channels.log }));
  });

  it('refuses action=react without Add Reactions and automod_sync without Manage Server, naming the permission', async () => {
    const sync = await answer(await config('set', { setting: 'automod_sync', value: 'on' }));
    expect(sync.content).toContain('**Manage Server**');
    expect((await h.app.ctx.store.settings.get(h.discord.guild.id)).automodSync).toBe(false);
    const del = await answer(await config('set', { setting: 'action', value: 'delete' }));
    expect(del.content).toContain('`action` is now **delete**');
    await answer(await config('set', { setting: 'action', value: 'reply' }));
  });
});

describe('autocomplete', () => {
  it('offers settings by readable description, channels by name for log_channel, and the allowlist for unallow', async () => {
    const settings = await answer(await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'set', options: { setting: 'thresh', value: '' }, focused: 'setting' }));
    expect(settings.choices).toEqual([{ name: 'Engines saying malicious before the verdict is malicious (1–70) (malicious_threshold)', value: 'malicious_threshold' }]);
    const channels = await answer(await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'set', options: { setting: 'log_channel', value: 'vt' }, focused: 'value' }));
    expect(channels.choices).toEqual([{ name: '#vt-log', value: h.discord.channels.log }]);
    await answer(await config('allow', { domain: 'our-wiki.xyz' }));
    const allow = await answer(await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'unallow', options: { domain: '' }, focused: 'domain' }));
    expect(allow.choices).toEqual([{ name: 'our-wiki.xyz', value: 'our-wiki.xyz' }]);
    const member = await answer(await h.discord.runCommand({ member: h.discord.members.member, name: 'vt-config', subcommand: 'unallow', options: { domain: '' }, focused: 'domain' }));
    expect(member.choices).toEqual([]);
  });
});
