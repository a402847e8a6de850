/**
 * Edits, and link embeds Discord attaches after the message was created (they arrive as
 * MESSAGE_UPDATE with unchanged content). Only what is new on the message is scanned: the pipeline
 * remembers what it already answered for each message, so nothing is answered twice.
 */
import type { Client, Message, PartialMessage } from 'discord.js';
import type { AppContext } from '../context.js';
import { autoScanMessage } from './pipeline.js';
import { track } from './track.js';
import { isCandidate } from './candidate.js';

export function onMessageUpdate(ctx: AppContext, client: Client, before: Message | PartialMessage, after: Message | PartialMessage): void {
  // A partial `before` (message sent before the bot started) cannot be compared: scan, the
  // pipeline's memory and the cache keep that cheap.
  if (!before.partial && !changed(before, after)) return;
  if (!isCandidate(client, after)) return;
  track(ctx, client, 'messageUpdate', { messageId: after.id, guildId: after.guildId }, () => autoScanMessage(ctx, client, after));
}

/** Pins, reactions-only and flag edits also arrive as updates; they add nothing to scan. */
function changed(before: Message, after: Message | PartialMessage): boolean {
  if (before.content !== after.content) return true;
  const urls = (m: Message | PartialMessage): string => m.embeds.map((e) => e.url ?? '').join('\n');
  return urls(before) !== urls(after) || before.attachments.size !== after.attachments.size;
}
