/** The double's moderation routes: bans, kicks, timeouts, DMs, audit-log reasons and Discord's role hierarchy. */
import { Client, DiscordAPIError, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { MODERATING_BOT_PERMISSIONS, startDiscordDouble } from '../discord-double.js';
import type { DiscordDouble, DiscordDoubleOptions } from '../discord-double.js';
import { connect, createClient, track } from './client.js';

let double: DiscordDouble | undefined;
const clients: Client[] = [];

async function setUp(options: DiscordDoubleOptions = { botRolePermissions: MODERATING_BOT_PERMISSIONS }): Promise<{ d: DiscordDouble; client: Client<true> }> {
  const d = await startDiscordDouble(options);
  double = d;
  return { d, client: await connect(d, track(clients, createClient(d))) };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await double?.close();
  double = undefined;
});

const codeOf = async (work: Promise<unknown>): Promise<number | string> =>
  work.then(() => 'ok', (error: unknown) => (error instanceof DiscordAPIError ? error.code : String(error)));

describe('discord double: moderation', () => {
  it('bans with the audit-log reason, deletes the last hour of the member\'s messages and removes the member', async () => {
    const { d, client } = await setUp();
    const user = d.members.member.id;
    const recent = await d.postMessage({ author: d.members.member, content: 'spam' });
    const other = await d.postMessage({ author: d.members.moderator, content: 'hello' });
    await client.rest.put(Routes.guildBan(d.guild.id, user), { body: { delete_message_seconds: 3600 }, reason: 'Ban by @mod (card 1)' });
    const call = await d.waitForCall('PUT', `/guilds/${d.guild.id}/bans/${user}`);
    expect(decodeURIComponent(call.headers['x-audit-log-reason'] ?? '')).toBe('Ban by @mod (card 1)');
    expect(d.ban(user)).toEqual({ deleteMessageSeconds: 3600 });
    expect(d.isMember(user)).toBe(false);
    expect(d.message(recent.id)?.deleted).toBe(true);
    expect(d.message(other.id)?.deleted).toBe(false);
    expect(await codeOf(client.rest.get(Routes.guildMember(d.guild.id, user)))).toBe(10007);
    await client.rest.delete(Routes.guildBan(d.guild.id, user));
    expect(d.ban(user)).toBeUndefined();
    expect(await codeOf(client.rest.delete(Routes.guildBan(d.guild.id, user)))).toBe(10026);
  });

  it('kicks and times out a member, and refuses without the permission or above the bot\'s role', async () => {
    const { d, client } = await setUp();
    const until = new Date(Date.now() + 60_000).toISOString();
    await client.rest.patch(Routes.guildMember(d.guild.id, d.members.member.id), { body: { communication_disabled_until: until } });
    expect(d.timeoutOf(d.members.member.id)).toBe(until);
    // The owner is above everyone; nobody can act on them.
    expect(await codeOf(client.rest.delete(Routes.guildMember(d.guild.id, d.members.owner.id)))).toBe(50013);
    await client.rest.delete(Routes.guildMember(d.guild.id, d.members.member.id));
    expect(d.isMember(d.members.member.id)).toBe(false);
    expect(await codeOf(client.rest.delete(Routes.guildMember(d.guild.id, d.members.member.id)))).toBe(10007);
  });

  it('refuses kicks, bans and timeouts when the bot lacks the permission', async () => {
    const { d, client } = await setUp({});
    const user = d.members.member.id;
    expect(await codeOf(client.rest.delete(Routes.guildMember(d.guild.id, user)))).toBe(50013);
    expect(await codeOf(client.rest.put(Routes.guildBan(d.guild.id, user), { body: {} }))).toBe(50013);
    expect(await codeOf(client.rest.patch(Routes.guildMember(d.guild.id, user), { body: { communication_disabled_until: null } }))).toBe(50013);
    expect(d.isMember(user)).toBe(true);
  });

  it('delivers DMs, and answers 50007 for a member whose DMs are closed', async () => {
    const { d, client } = await setUp();
    const open = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: d.members.member.id } })) as { id: string };
    await client.rest.post(Routes.channelMessages(open.id), { body: { content: 'hello' } });
    expect(d.dms.map((m) => [m.userId, m.message.content])).toEqual([[d.members.member.id, 'hello']]);
    d.closeDms(d.members.moderator.id);
    const closed = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: d.members.moderator.id } })) as { id: string };
    expect(await codeOf(client.rest.post(Routes.channelMessages(closed.id), { body: { content: 'hi' } }))).toBe(50007);
    expect(d.dms).toHaveLength(1);
  });
});
