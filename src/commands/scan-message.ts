/**
 * Message context menu "Scan with VirusTotal": everything in that message (text, embed links,
 * forwarded messages, attachments) in one reply of at most 10 cards. What the message holds is
 * decided by the same plan auto-scan uses (scan/message-plan.ts): the same order, de-duplication,
 * allowlist and cap. The guild's submit/upload settings apply, since the files and links are
 * someone else's; its auto-scan switches do not, since a person asked.
 */
import type { MessageContextMenuCommandInteraction } from 'discord.js';
import { ApplicationCommandType, InteractionContextType, MessageFlags } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import { collect, MAX_INDICATORS_PER_MESSAGE, plan } from '../scan/message-plan.js';
import { discardFiles, spoolPlanned } from '../scan/planned-files.js';
import type { MessageCommand } from '../discord/command.js';
import { safeText } from '../discord/render/defang.js';
import { NO_PINGS } from '../discord/send.js';
import { scanIntoReply } from './scan-reply.js';
import { spendMemberLookup } from '../discord/member-rate.js';
import { translator } from '../core/i18n.js';
import { AttachmentRefusedError } from '../scan/attachments.js';
import { refusalText } from './refusal-text.js';

export const scanMessageCommand: MessageCommand = {
  kind: 'message',
  data: { type: ApplicationCommandType.Message, name: 'Scan with VirusTotal', contexts: [InteractionContextType.Guild] },
  run: runScanMessage,
};

async function runScanMessage(ctx: AppContext, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  const tr = translator(interaction.locale);
  const settings = await ctx.store.settings.getOrDefaults(interaction.guildId);
  const planned = plan(collect(interaction.targetMessage), { autoscanLinks: true, autoscanAttachments: true, allowlist: settings.allowlist });
  if (planned.items.length === 0) {
    await interaction.reply({
      content: tr('scan.nothing'),
      flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS,
    });
    return;
  }
  await spendMemberLookup(ctx, interaction);
  await interaction.deferReply();
  const notes: string[] = [];
  if (planned.overCap > 0) notes.push(tr('scan.overCap', { max: MAX_INDICATORS_PER_MESSAGE }));
  const spooled = await spoolPlanned(ctx.config, planned.items);
  for (const { attachment, reason, error } of spooled.refused) {
    // A refusal's message is written for users (host not allowed, too large, CDN failed); anything
    // else is an internal error whose text is not shown.
    const why = reason !== 'error' && error instanceof AttachmentRefusedError ? refusalText(error, ctx.config.maxFileBytes, interaction.locale) : tr('scan.notDownloaded');
    notes.push(tr('scan.notChecked', { name: safeText(attachment.name, 100), why: safeText(why, 200) }));
  }
  try {
    await scanIntoReply(ctx, interaction, {
      indicators: spooled.indicators,
      policy: { submitUrls: settings.submitUrls, uploadFiles: settings.uploadFiles },
      threshold: settings.maliciousThreshold,
      reservePercent: settings.autoscanReserve,
      maskedTexts: planned.maskedTexts,
      notes,
    });
  } finally {
    await discardFiles(spooled.indicators);
  }
}
