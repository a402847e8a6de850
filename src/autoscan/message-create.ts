/** New messages: every guild message from a person that has text, attachments or a forward. */
import type { Client, Message } from 'discord.js';
import type { AppContext } from '../context.js';
import { autoScanMessage } from './pipeline.js';
import { track } from './track.js';
import { isCandidate } from './candidate.js';

export function onMessageCreate(ctx: AppContext, client: Client, message: Message): void {
  if (!isCandidate(client, message)) return;
  track(ctx, client, 'messageCreate', { messageId: message.id, guildId: message.guildId }, () => autoScanMessage(ctx, client, message));
}
