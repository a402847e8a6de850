/**
 * Which messages a server asked auto-scan to leave alone: those in an ignored channel (or a thread
 * of one) and those whose author holds an exempt role. Commands and buttons still work there; only
 * the automatic scan skips them.
 */
import type { GuildSettings } from '../store/settings.js';

/** What the gate needs of a message; a discord.js Message fits. */
export interface ScopedMessage {
  channelId: string;
  /** The channel's parent for a thread (a discord.js channel has `parentId`). */
  channel?: { parentId?: string | null } | null;
  /** The author's member (null for webhooks or when Discord sent none). */
  member?: { roles: { cache: { has(id: string): boolean } } } | null;
}

export type ScopeSettings = Pick<GuildSettings, 'ignoredChannels' | 'exemptRoles'>;

/** Why auto-scan skips the message, or null when it is in scope. */
export function outOfScope(settings: ScopeSettings, message: ScopedMessage): 'ignored-channel' | 'exempt-role' | null {
  const parent = message.channel?.parentId ?? null;
  if (settings.ignoredChannels.includes(message.channelId) || (parent !== null && settings.ignoredChannels.includes(parent))) return 'ignored-channel';
  const roles = message.member?.roles.cache;
  if (roles !== undefined && settings.exemptRoles.some((id) => roles.has(id))) return 'exempt-role';
  return null;
}
