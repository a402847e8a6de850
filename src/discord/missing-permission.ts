/**
 * Telling moderators, once, that the bot lacks a permission its configured action needs. Without
 * this a 403 only reached the bot's own log and the server never learnt why alerts looked different.
 */
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import { sendToChannel, type MessageRef } from './send.js';
import { translator } from '../core/i18n.js';

/** Discord's 50013 Missing Permissions and 50001 Missing Access: the bot may not do that there. */
export function isMissingPermission(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 50013 || code === 50001;
}

/** Per client (one per running bot): what was already said, so one notice per channel and permission. */
const told = new WeakMap<Client, Set<string>>();
/** A server with thousands of channels must not grow this without end; past it, the log line remains. */
const MAX_TOLD = 5000;

export interface MissingPermissionNotice {
  message: MessageRef;
  logChannel: string | null;
  action: string;
  /** The permission names that were missing, in the order the actions were tried. */
  missing: readonly string[];
  /** What the bot did instead, for the notice (already in `locale`). */
  instead: string;
  /** The guild's language; English when absent. */
  locale?: string | undefined;
}

/** Logs every time; posts to the log channel once per channel and permission set. Never throws. */
export async function reportMissingPermission(ctx: AppContext, client: Client, notice: MissingPermissionNotice): Promise<void> {
  const { message, logChannel, action, missing, instead } = notice;
  const log = ctx.log.child({ module: 'actions', messageId: message.id, channelId: message.channelId, action });
  log.warn({ missing, instead }, 'missing permission for the configured action');
  if (logChannel === null) return;
  const key = `${message.guildId ?? 'dm'}/${message.channelId}/${missing.join('+')}`;
  const seen = told.get(client) ?? new Set<string>();
  told.set(client, seen);
  if (seen.has(key) || seen.size >= MAX_TOLD) return;
  seen.add(key);
  const tr = translator(notice.locale);
  const names = missing.map((m) => `**${m}**`).join(tr('actions.and'));
  const content = tr('actions.missing', { names, channel: `<#${message.channelId}>`, action, instead });
  await sendToChannel(client, logChannel, { content }).catch((err: unknown) => {
    seen.delete(key);
    log.warn({ err, logChannel }, 'could not tell the log channel about the missing permission');
  });
}
