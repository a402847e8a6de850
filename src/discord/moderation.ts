/**
 * The moderation requests review cards (and escalation) make: delete a message, time out, kick, ban,
 * undo a timeout or a ban, and DM a member. Each is checked before it is tried, as Discord would
 * check it: the moderator has the permission Discord requires, the bot has it too, the target is not
 * the owner and sits below the bot's highest role and the moderator's. Every request carries an
 * audit-log reason naming the moderator and the card. Refusals speak the `tr` they are given (the
 * presser's language, or the server's for escalation); audit reasons speak the server's language.
 */
import { DiscordAPIError, PermissionFlagsBits, Routes } from 'discord.js';
import type { Client, Guild, GuildMember, PermissionsBitField } from 'discord.js';
import { translator, type Translate } from '../core/i18n.js';
import { NO_PINGS } from './send.js';

export type ModerationAction = 'delete' | 'timeout' | 'kick' | 'ban';

/** The permission Discord requires for each action; its name as Discord's settings show it is `review.permission.<action>`. */
export const REQUIRED: Readonly<Record<ModerationAction, { bit: bigint }>> = Object.freeze({
  delete: { bit: PermissionFlagsBits.ManageMessages },
  timeout: { bit: PermissionFlagsBits.ModerateMembers },
  kick: { bit: PermissionFlagsBits.KickMembers },
  ban: { bit: PermissionFlagsBits.BanMembers },
});

const ENGLISH = translator('en');

/** A ban deletes the member's messages of the last hour (the choice: the burst that got them flagged). */
export const BAN_DELETE_SECONDS = 3600;
/** Discord's limit on an audit-log reason. */
const REASON_MAX = 512;

/** Who acts: a moderator (their id and the permissions the interaction carries) or the bot itself. */
export type Actor = { id: string; permissions: Readonly<PermissionsBitField> | null } | 'bot';

/**
 * Why `action` on `targetId` may not be tried, in a sentence for the presser; null when it may.
 * For `delete` only the permissions count (the message, not a member, is the target).
 */
export async function refusal(
  guild: Guild, actor: Actor, action: ModerationAction, targetId: string | null, tr: Translate = ENGLISH,
): Promise<string | null> {
  const need = REQUIRED[action];
  const permission = tr(`review.permission.${action}`);
  if (actor !== 'bot' && actor.permissions?.has(need.bit) !== true) return tr('review.refusal.youNeed', { permission });
  const me = await guild.members.fetchMe();
  if (!me.permissions.has(need.bit)) return tr('review.refusal.botLacks', { permission });
  if (action === 'delete') return null;
  if (targetId === null) return tr('review.refusal.unknownAuthor');
  if (targetId === guild.ownerId) return tr('review.refusal.owner');
  const target = await memberOf(guild, targetId);
  if (target === null) return action === 'ban' ? null : tr('review.refusal.notMember');
  if (me.roles.highest.comparePositionTo(target.roles.highest) <= 0) return tr('review.refusal.aboveBot');
  if (action === 'timeout' && target.permissions.has(PermissionFlagsBits.Administrator)) return tr('review.refusal.admin');
  if (actor === 'bot' || actor.id === guild.ownerId) return null;
  const mod = await memberOf(guild, actor.id);
  if (mod === null || mod.roles.highest.comparePositionTo(target.roles.highest) <= 0) return tr('review.refusal.aboveYou');
  return null;
}

/**
 * `vt-guard: <what> by <moderator> (<id>), review card <card>` in the server's language (`tr`),
 * within Discord's 512 characters. `what` is already in that language.
 */
export function auditReason(what: string, moderator: { id: string; username: string } | null, cardId: string, tr: Translate = ENGLISH): string {
  const reason = moderator === null ? tr('review.audit.automatic', { what, card: cardId })
    : tr('review.audit.byModerator', { what, username: moderator.username, id: moderator.id, card: cardId });
  return reason.slice(0, REASON_MAX);
}

/** Deletes a message; `gone` when it was already deleted. */
export async function deleteMessage(client: Client, channelId: string, messageId: string, reason: string): Promise<'deleted' | 'gone'> {
  try {
    await client.rest.delete(Routes.channelMessage(channelId, messageId), { reason });
    return 'deleted';
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === 10008) return 'gone';
    throw error;
  }
}

export async function timeoutMember(client: Client, guildId: string, userId: string, minutes: number, reason: string, now = Date.now()): Promise<void> {
  const until = new Date(now + minutes * 60_000).toISOString();
  await client.rest.patch(Routes.guildMember(guildId, userId), { body: { communication_disabled_until: until }, reason });
}

export async function removeTimeout(client: Client, guildId: string, userId: string, reason: string): Promise<void> {
  await client.rest.patch(Routes.guildMember(guildId, userId), { body: { communication_disabled_until: null }, reason });
}

export async function kickMember(client: Client, guildId: string, userId: string, reason: string): Promise<void> {
  await client.rest.delete(Routes.guildMember(guildId, userId), { reason });
}

export async function banMember(client: Client, guildId: string, userId: string, reason: string): Promise<void> {
  await client.rest.put(Routes.guildBan(guildId, userId), { body: { delete_message_seconds: BAN_DELETE_SECONDS }, reason });
}

export async function unbanMember(client: Client, guildId: string, userId: string, reason: string): Promise<void> {
  await client.rest.delete(Routes.guildBan(guildId, userId), { reason });
}

/**
 * DMs a member; false when Discord refuses (closed DMs, blocked bot, no shared server): a DM is a
 * courtesy and must not stop the action it announces.
 */
export async function sendDm(client: Client, userId: string, content: string): Promise<boolean> {
  try {
    const channel = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id?: unknown };
    if (typeof channel.id !== 'string') return false;
    await client.rest.post(Routes.channelMessages(channel.id), { body: { content, allowed_mentions: { parse: NO_PINGS.parse } } });
    return true;
  } catch (error) {
    if (error instanceof DiscordAPIError && (error.status === 403 || error.status === 400 || error.status === 404)) return false;
    throw error;
  }
}

async function memberOf(guild: Guild, userId: string): Promise<GuildMember | null> {
  try {
    return await guild.members.fetch({ user: userId, force: true });
  } catch (error) {
    if (error instanceof DiscordAPIError && (error.code === 10007 || error.code === 10013)) return null;
    throw error;
  }
}
