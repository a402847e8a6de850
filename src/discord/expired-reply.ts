/**
 * An interaction's token lives 15 minutes; a result that arrives later (a long VirusTotal queue, a
 * slow analysis, Discord retries) cannot edit the reply any more: Discord answers 401 50027 Invalid
 * Webhook Token (404 10015 once the webhook is gone). The result is then posted in the channel,
 * saying whose request it answers, without pinging them.
 */
import type { Message, RepliableInteraction } from 'discord.js';
import { fitNotes } from './render/notes.js';
import { sendToChannel, type ResultParts } from './send.js';
import { translator } from '../core/i18n.js';

/** Discord refused the interaction's token: it expired or its webhook is gone. */
export function isExpiredInteraction(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 50027 || code === 10015;
}

/** Posts `result` in the interaction's channel, headed by who asked (a mention that never pings). */
export async function postExpiredResult(interaction: RepliableInteraction, result: ResultParts, notes: readonly string[]): Promise<Message> {
  if (interaction.channelId === null) throw new Error('Expected an interaction in a channel to post its late result to');
  const tr = translator(interaction.locale);
  const asked = interaction.isCommand() ? `\`${interaction.isChatInputCommand() ? '/' : ''}${interaction.commandName}\`` : tr('scan.theRequest');
  const head = tr('scan.late', { user: `<@${interaction.user.id}>`, asked });
  return sendToChannel(interaction.client, interaction.channelId, { ...result, content: fitNotes([head, ...notes], undefined, interaction.locale) });
}
