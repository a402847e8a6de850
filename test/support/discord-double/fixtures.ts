/**
 * The world the double serves: one guild with text channels, roles, and members of each kind a
 * moderation bot must tell apart (bot, plain member, moderator, admin, owner), plus snowflakes.
 */
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  OverwriteType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type {
  APIGuildMember,
  APIRole,
  APIUser,
  GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';

const DISCORD_EPOCH = 1_420_070_400_000n;

/** Zero for any of Discord's flag enums (UserFlags, RoleFlags, GuildMemberFlags…), which have no 0 member. */
export const NO_FLAGS = 0 as never;

/** The shard Discord sends a guild's events to: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Snowflakes as Discord makes them (timestamp << 22 | worker | increment), strictly increasing. */
export class SnowflakeGenerator {
  #last = 0n;
  next(): string {
    const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n | (1n << 17n);
    // Several ids in one millisecond (or a clock step back) must still sort after the previous one.
    this.#last = fromClock > this.#last ? fromClock : this.#last + 1n;
    return this.#last.toString();
  }

  /** The next id whose guild lands on `shard` of `count` (the timestamp part is moved on a few ms). */
  nextOnShard(shard: number, count: number): string {
    for (;;) {
      const id = this.next();
      if (shardOf(id, count) === shard) return id;
      this.#last = (((this.#last >> 22n) + 1n) << 22n) | (1n << 17n);
    }
  }
}

/** A user of the fixture guild, with the role ids it holds there. */
export interface MemberFixture {
  readonly id: string;
  readonly username: string;
  readonly bot: boolean;
  readonly roles: readonly string[];
}

export interface GuildFixture {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  /** Text channels; `log` is meant as the guild's log channel. */
  readonly channels: { readonly general: string; readonly links: string; readonly log: string };
  /** More text channels (`chat-1`, `chat-2`, …) for load runs across many channels; usually none. */
  readonly extraChannels: readonly string[];
  readonly roles: {
    readonly everyone: string;
    readonly moderator: string;
    readonly admin: string;
    readonly bot: string;
  };
  /** Permissions of @everyone and of the bot's managed role; the double enforces the bot's on REST. */
  readonly everyonePermissions: bigint;
  readonly botRolePermissions: bigint;
  /** The guild's `preferred_locale` (Server Primary Language); `DiscordDouble.setPreferredLocale` changes it. */
  preferredLocale: string;
  readonly members: {
    readonly bot: MemberFixture;
    readonly member: MemberFixture;
    readonly moderator: MemberFixture;
    readonly admin: MemberFixture;
    readonly owner: MemberFixture;
  };
}

const P = PermissionFlagsBits;
/** What @everyone may do in a typical community server. */
export const EVERYONE_PERMISSIONS = P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.AddReactions |
  P.EmbedLinks | P.AttachFiles | P.UseApplicationCommands | P.UseExternalEmojis;
/** The managed role Discord gives a bot invited with the permissions vt-guard asks for. */
export const DEFAULT_BOT_PERMISSIONS = EVERYONE_PERMISSIONS | P.ManageMessages;
/** A bot that may also act from review cards: time out, kick and ban. */
export const MODERATING_BOT_PERMISSIONS = DEFAULT_BOT_PERMISSIONS | P.ModerateMembers | P.KickMembers | P.BanMembers;

export interface GuildPermissionOptions {
  everyonePermissions?: bigint;
  botRolePermissions?: bigint;
  /** Put the guild's id on this shard: `[shard id, shard count]`. */
  shard?: readonly [number, number];
  /** Guild name (default 'vt-guard test guild'). */
  name?: string;
  /** How many extra text channels the guild has (default 0). */
  extraChannels?: number;
}

export function buildGuildFixture(ids: SnowflakeGenerator, botUser: APIUser, perms: GuildPermissionOptions = {}): GuildFixture {
  const guildId = perms.shard === undefined ? ids.next() : ids.nextOnShard(perms.shard[0], perms.shard[1]);
  const roles = { everyone: guildId, moderator: ids.next(), admin: ids.next(), bot: ids.next() };
  const member = (username: string, roleIds: string[]): MemberFixture =>
    ({ id: ids.next(), username, bot: false, roles: roleIds });
  const owner = member('owner', []);
  return {
    id: guildId,
    name: perms.name ?? 'vt-guard test guild',
    ownerId: owner.id,
    channels: { general: ids.next(), links: ids.next(), log: ids.next() },
    extraChannels: Array.from({ length: perms.extraChannels ?? 0 }, () => ids.next()),
    roles,
    everyonePermissions: perms.everyonePermissions ?? EVERYONE_PERMISSIONS,
    botRolePermissions: perms.botRolePermissions ?? DEFAULT_BOT_PERMISSIONS,
    preferredLocale: Locale.EnglishUS,
    members: {
      bot: { id: botUser.id, username: botUser.username, bot: true, roles: [roles.bot] },
      member: member('member', []),
      moderator: member('moderator', [roles.moderator]),
      admin: member('admin', [roles.admin]),
      owner,
    },
  };
}

function role(id: string, name: string, permissions: bigint, position: number, managed = false): APIRole {
  return {
    id, name, permissions: permissions.toString(), position, managed,
    color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false, icon: null, unicode_emoji: null, mentionable: false, flags: NO_FLAGS,
  };
}

export function guildRoles(g: GuildFixture): APIRole[] {
  return [
    role(g.roles.everyone, '@everyone', g.everyonePermissions, 0),
    role(g.roles.moderator, 'Moderator', EVERYONE_PERMISSIONS | P.ManageMessages | P.ModerateMembers | P.KickMembers | P.BanMembers, 1),
    role(g.roles.admin, 'Admin', EVERYONE_PERMISSIONS | P.ManageGuild | P.ManageMessages | P.ManageChannels | P.ManageRoles, 2),
    role(g.roles.bot, 'vt-guard', g.botRolePermissions, 3, true),
  ];
}

/** Guild-level permissions as Discord computes them for `member.permissions` in interactions. */
export function memberPermissions(g: GuildFixture, m: MemberFixture): bigint {
  if (m.id === g.ownerId) return allPermissions();
  const byId = new Map(guildRoles(g).map((r) => [r.id, BigInt(r.permissions)]));
  let bits = byId.get(g.roles.everyone) ?? 0n;
  for (const r of m.roles) bits |= byId.get(r) ?? 0n;
  return (bits & P.Administrator) !== 0n ? allPermissions() : bits;
}

function allPermissions(): bigint {
  return Object.values(P).reduce((acc, bit) => acc | bit, 0n);
}

export function userObject(m: Pick<MemberFixture, 'id' | 'username' | 'bot'>): APIUser {
  return {
    id: m.id, username: m.username, global_name: m.bot ? null : m.username, discriminator: m.bot ? '1234' : '0',
    avatar: null, bot: m.bot, public_flags: NO_FLAGS, flags: NO_FLAGS, banner: null, accent_color: null,
    avatar_decoration_data: null, collectibles: null, primary_guild: null,
  };
}

export function memberObject(m: MemberFixture, joinedAt: string): APIGuildMember {
  return {
    user: userObject(m), nick: null, avatar: null, banner: null, roles: [...m.roles], joined_at: joinedAt,
    premium_since: null, deaf: false, mute: false, flags: NO_FLAGS, pending: false, communication_disabled_until: null,
  };
}

export function allMembers(g: GuildFixture): MemberFixture[] {
  return Object.values(g.members);
}

/**
 * Text channels, in the shape GUILD_CREATE and GET /channels/{id} both use. `botDenied` (the
 * double's `denyBot`) shows as a deny overwrite on the bot's role, so discord.js computes the bot's
 * channel permissions as Discord would.
 */
export function guildChannels(g: GuildFixture, botDenied: ReadonlyMap<string, bigint> = new Map()): GatewayGuildCreateDispatchData['channels'] {
  const names: Record<keyof GuildFixture['channels'], string> = { general: 'general', links: 'links', log: 'vt-log' };
  const named = [
    ...Object.entries(g.channels).map(([key, id]) => ({ id, name: names[key as keyof typeof names] })),
    ...g.extraChannels.map((id, i) => ({ id, name: `chat-${String(i + 1)}` })),
  ];
  return named.map(({ id, name }, position) => ({
    id, type: ChannelType.GuildText, guild_id: g.id, name, position,
    permission_overwrites: botOverwrites(g, botDenied.get(id)), nsfw: false, topic: null, last_message_id: null, parent_id: null,
    rate_limit_per_user: 0, flags: NO_FLAGS,
  }));
}

function botOverwrites(g: GuildFixture, denied: bigint | undefined): { id: string; type: OverwriteType; allow: string; deny: string }[] {
  return denied === undefined || denied === 0n ? [] : [{ id: g.roles.bot, type: OverwriteType.Role, allow: '0', deny: denied.toString() }];
}

export function guildCreatePayload(g: GuildFixture, applicationId: string, joinedAt: string, botDenied: ReadonlyMap<string, bigint> = new Map()): GatewayGuildCreateDispatchData {
  const members = allMembers(g);
  return {
    id: g.id, name: g.name, icon: null, splash: null, discovery_splash: null, banner: null, description: null,
    owner_id: g.ownerId, afk_channel_id: null, afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles: guildRoles(g), emojis: [], stickers: [], features: [], mfa_level: GuildMFALevel.None,
    application_id: null, system_channel_id: g.channels.general, system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null, vanity_url_code: null, premium_tier: GuildPremiumTier.None, premium_subscription_count: 0,
    preferred_locale: g.preferredLocale as Locale, public_updates_channel_id: null, nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false, hub_type: null, safety_alerts_channel_id: null, incidents_data: null,
    max_members: 500_000, max_video_channel_users: 25,
    // GUILD_CREATE extras
    joined_at: joinedAt, large: false, unavailable: false, member_count: members.length,
    voice_states: [], members: members.map((m) => memberObject(m, joinedAt)), channels: guildChannels(g, botDenied),
    threads: [], presences: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
  };
}
