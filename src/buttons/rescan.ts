/**
 * Rescan (moderators): asks VirusTotal again, bypassing the cache, and rewrites the message's embed
 * in place (serialised with votes on the same message, tally kept), even after the press expired.
 */
import type { ButtonInteraction } from 'discord.js';
import { objectKey, type ObjectRef } from '../core/objects.js';
import { outcomeTarget, outcomeWord } from '../scan/outcome.js';
import { retroAlert } from '../discord/retro-alert.js';
import { historyText } from '../discord/history-record.js';
import { NO_PINGS, tellPresser } from '../discord/send.js';
import { buildResultMessage } from '../discord/render/result-message.js';
import { talliesFor } from '../discord/tallies.js';
import type { ButtonEnv } from './env.js';
import { indicatorFor } from './target.js';
import { isModerator } from './vote.js';
import { spendMemberLookup } from '../discord/member-rate.js';
import { isExpiredInteraction } from '../discord/expired-reply.js';
import { MessageFlags } from 'discord-api-types/v10';
import { guildLocale, translator } from '../core/i18n.js';

export async function rescan(env: ButtonEnv, interaction: ButtonInteraction, target: ObjectRef): Promise<void> {
  const tr = translator(interaction.locale);
  if (!isModerator(interaction)) {
    await tellPresser(interaction, tr('rescan.onlyModerators'));
    return;
  }
  const indicator = await indicatorFor(env.ctx, target);
  await spendMemberLookup(env.ctx, interaction);
  await interaction.deferUpdate();
  const { ctx } = env;
  const settings = await ctx.store.settings.getOrDefaults(interaction.guildId);
  const outcome = await ctx.scanner.scan(indicator, {
    priority: 'button', fresh: true, policy: { submitUrls: settings.submitUrls, uploadFiles: false }, reservePercent: settings.autoscanReserve,
  });
  let expired = false;
  // An ephemeral view speaks to its presser; a public card keeps speaking the server's language.
  const locale = interaction.message.flags.has(MessageFlags.Ephemeral) ? interaction.locale : guildLocale(settings.language, interaction.guildLocale);
  await env.cards.run(interaction.message.id, async () => {
    const reply = buildResultMessage([outcome], { threshold: settings.maliciousThreshold, tallies: await talliesFor(ctx, interaction.guildId, [outcome]), locale });
    const body = { embeds: reply.embeds, components: reply.components, allowedMentions: NO_PINGS };
    await interaction.editReply(body).catch(async (err: unknown) => {
      // The rescan outlived the press's 15-minute token: a public card is the bot's own message,
      // so it is edited directly instead (an ephemeral view cannot be).
      if (!isExpiredInteraction(err) || interaction.message.flags.has(MessageFlags.Ephemeral)) throw err;
      await interaction.message.edit(body);
      expired = true;
    });
  });
  const found = outcomeTarget(outcome);
  if (interaction.guildId !== null && found !== null && outcomeWord(outcome, settings.maliciousThreshold) === 'malicious') {
    await retroAlert(ctx, interaction.client, interaction.guildId, { key: objectKey(found), text: historyText(indicator), why: 'rescan' });
  }
  if (outcome.status !== 'found' && !expired) await tellPresser(interaction, tr('rescan.nothingNew'));
}
