/**
 * REST routes for moderation, as Discord answers them: bans (with the deleted-messages window),
 * kicks, timeouts (`communication_disabled_until`), and DMs (a DM channel, then a message; a member
 * with closed DMs answers 50007). Each is refused with 50013 when the bot lacks the permission or
 * its highest role is not above the target's (the owner can never be targeted). The audit-log
 * reason arrives as the `X-Audit-Log-Reason` header, kept in the call record.
 */
import { ChannelType, GatewayDispatchEvents, PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { APIMessage } from 'discord-api-types/v10';
import { guildRoles, memberObject, memberPermissions, userObject } from './fixtures.js';
import type { GuildFixture, MemberFixture } from './fixtures.js';
import { DiscordHttpError } from './rest.js';
import type { RestRequest, RestResponse, Route } from './rest.js';
import type { DoubleStore, MessageBody } from './store.js';
import type { Dispatch } from './routes-messages.js';

/** The longest ban message deletion Discord accepts (7 days). */
const MAX_DELETE_SECONDS = 604_800;
/** The longest timeout Discord accepts (28 days). */
const MAX_TIMEOUT_MS = 28 * 86_400_000;

export function moderationRoutes(store: DoubleStore, dispatch: Dispatch, joinedAt: string): Route[] {
  const route = (method: string, pattern: RegExp, handle: Route['handle']): Route => ({ method, pattern, auth: true, handle });
  const guild = (id: string | undefined): GuildFixture => {
    const g = store.guildById(id);
    if (!g) throw new DiscordHttpError(404, 10004, 'Unknown Guild');
    return g;
  };
  return [
    route('PUT', /^\/guilds\/(\d+)\/bans\/(\d+)$/, (req, [guildId, userId]) => {
      const g = guild(guildId);
      const target = userOf(store, userId);
      requireBot(g, P.BanMembers);
      if (target.member && store.isMember(g.id, target.user.id)) requireAbove(g, target.member);
      const seconds = Number((req.body as { delete_message_seconds?: unknown } | undefined)?.delete_message_seconds ?? 0);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_DELETE_SECONDS) throw new DiscordHttpError(400, 50035, 'Invalid Form Body');
      store.bans.set(`${g.id}:${target.user.id}`, { deleteMessageSeconds: seconds });
      removeMember(store, dispatch, g, target.user.id);
      const since = Date.now() - seconds * 1000;
      for (const m of store.messages.values()) {
        if (m.guildId !== g.id || m.deleted || m.message.author.id !== target.user.id || Date.parse(m.message.timestamp) < since) continue;
        m.deleted = true;
        dispatch(GatewayDispatchEvents.MessageDelete, { id: m.message.id, channel_id: m.message.channel_id, guild_id: g.id });
      }
      return { status: 204 };
    }),
    route('DELETE', /^\/guilds\/(\d+)\/bans\/(\d+)$/, (_req, [guildId, userId]) => {
      const g = guild(guildId);
      requireBot(g, P.BanMembers);
      if (!store.bans.delete(`${g.id}:${userId ?? ''}`)) throw new DiscordHttpError(404, 10026, 'Unknown Ban');
      return { status: 204 };
    }),
    route('DELETE', /^\/guilds\/(\d+)\/members\/(\d+)$/, (_req, [guildId, userId]) => {
      const g = guild(guildId);
      const member = liveMember(store, g, userId);
      requireBot(g, P.KickMembers);
      requireAbove(g, member);
      removeMember(store, dispatch, g, member.id);
      return { status: 204 };
    }),
    route('PATCH', /^\/guilds\/(\d+)\/members\/(\d+)$/, (req, [guildId, userId]) => {
      const g = guild(guildId);
      const member = liveMember(store, g, userId);
      const body = (req.body ?? {}) as { communication_disabled_until?: string | null };
      if (!('communication_disabled_until' in body)) throw new DiscordHttpError(400, 50035, 'Invalid Form Body');
      requireBot(g, P.ModerateMembers);
      requireAbove(g, member);
      // Administrators cannot be timed out.
      if ((memberPermissions(g, member) & P.Administrator) !== 0n) throw new DiscordHttpError(403, 50013, 'Missing Permissions');
      const until = body.communication_disabled_until ?? null;
      if (until !== null) {
        const at = Date.parse(until);
        if (Number.isNaN(at) || at - Date.now() > MAX_TIMEOUT_MS) throw new DiscordHttpError(400, 50035, 'Invalid Form Body');
      }
      store.timeouts.set(`${g.id}:${member.id}`, until);
      const updated = { ...memberObject(member, joinedAt), communication_disabled_until: until };
      dispatch(GatewayDispatchEvents.GuildMemberUpdate, { ...updated, guild_id: g.id });
      return { status: 200, body: updated };
    }),
    route('POST', /^\/users\/@me\/channels$/, (req) => {
      const raw = (req.body as { recipient_id?: unknown } | undefined)?.recipient_id;
      const recipient = typeof raw === 'string' ? raw : '';
      const target = userOf(store, recipient);
      const existing = [...store.dmChannels].find(([, user]) => user === recipient)?.[0];
      const id = existing ?? store.ids.next();
      store.dmChannels.set(id, recipient);
      return { status: 200, body: { id, type: ChannelType.DM, last_message_id: null, recipients: [target.user], flags: 0 } };
    }),
  ];
}

/** POST /channels/{dm}/messages: what messageRoutes hands over when the channel is a DM the bot opened. */
export function sendDm(store: DoubleStore, channelId: string, req: RestRequest): RestResponse {
  const userId = store.dmChannels.get(channelId) ?? '';
  if (store.closedDms.has(userId)) throw new DiscordHttpError(403, 50007, 'Cannot send messages to this user');
  const body = (req.body ?? {}) as MessageBody;
  const message = {
    id: store.ids.next(), channel_id: channelId, author: store.botUser, content: body.content ?? '', embeds: body.embeds ?? [],
    timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [],
    pinned: false, attachments: [], components: [], type: 0, flags: 0,
  } as unknown as APIMessage;
  store.dms.push({ userId, message, allowedMentions: (req.body as { allowed_mentions?: unknown } | undefined)?.allowed_mentions });
  return { status: 200, body: message };
}

function userOf(store: DoubleStore, userId: string | undefined): { user: ReturnType<typeof userObject>; member: MemberFixture | undefined } {
  const member = store.allGuilds().flatMap((g) => Object.values(g.members)).find((m) => m.id === userId);
  if (!member) throw new DiscordHttpError(404, 10013, 'Unknown User');
  return { user: userObject(member), member };
}

function liveMember(store: DoubleStore, g: GuildFixture, userId: string | undefined): MemberFixture {
  const member = Object.values(g.members).find((m) => m.id === userId);
  if (!member || !store.isMember(g.id, member.id)) throw new DiscordHttpError(404, 10007, 'Unknown Member');
  return member;
}

function requireBot(g: GuildFixture, bits: bigint): void {
  if ((memberPermissions(g, g.members.bot) & bits) !== bits) throw new DiscordHttpError(403, 50013, 'Missing Permissions');
}

/** Discord's hierarchy: the bot's highest role must sit above the target's, and nobody acts on the owner. */
function requireAbove(g: GuildFixture, target: MemberFixture): void {
  if (target.id === g.ownerId || highest(g, g.members.bot) <= highest(g, target)) throw new DiscordHttpError(403, 50013, 'Missing Permissions');
}

export function highest(g: GuildFixture, m: MemberFixture): number {
  const positions = new Map(guildRoles(g).map((r) => [r.id, r.position]));
  return Math.max(0, ...m.roles.map((r) => positions.get(r) ?? 0));
}

function removeMember(store: DoubleStore, dispatch: Dispatch, g: GuildFixture, userId: string): void {
  if (!store.isMember(g.id, userId)) return;
  store.removedMembers.add(`${g.id}:${userId}`);
  const member = Object.values(g.members).find((m) => m.id === userId);
  if (member) dispatch(GatewayDispatchEvents.GuildMemberRemove, { guild_id: g.id, user: userObject(member) });
}
