/**
 * `/vt file`: the attachment is fetched once from the CDN (hashed on the way), looked up by sha256,
 * and uploaded when VirusTotal has never seen it — the user asked, so this overrides `upload_files`,
 * and the result says the file is now shared with VirusTotal.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { MessageFlags } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import { AttachmentRefusedError } from '../scan/attachments.js';
import { spoolPosted } from '../scan/planned-files.js';
import { UserFacingError } from '../core/errors.js';
import { humanSize } from '../discord/render/card-facts.js';
import { scanIntoReply } from './scan-reply.js';
import { spendMemberLookup } from '../discord/member-rate.js';
import { NO_PINGS } from '../discord/send.js';
import { t } from '../core/i18n.js';
import { refusalText } from './refusal-text.js';

export async function runFile(ctx: AppContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const attachment = interaction.options.getAttachment('file', true);
  if (attachment.size > ctx.config.maxFileBytes) {
    await interaction.reply({
      content: t(interaction.locale, 'scan.tooLarge', { size: humanSize(attachment.size, interaction.locale), max: humanSize(ctx.config.maxFileBytes, interaction.locale) }),
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    return;
  }
  await spendMemberLookup(ctx, interaction);
  await interaction.deferReply();
  const settings = await ctx.store.settings.getOrDefaults(interaction.guildId);
  const file = await spoolPosted(ctx.config, attachment).catch((err: unknown) => {
    // Its message is written for users (host not allowed, too large, CDN failed).
    throw err instanceof AttachmentRefusedError ? new UserFacingError(refusalText(err, ctx.config.maxFileBytes, interaction.locale), { cause: err }) : err;
  });
  try {
    await scanIntoReply(ctx, interaction, {
      indicators: [{ kind: 'file', value: file.sha256, file }],
      policy: { submitUrls: settings.submitUrls, uploadFiles: true },
      threshold: settings.maliciousThreshold,
      reservePercent: settings.autoscanReserve,
    });
  } finally {
    await file.discard();
  }
}
