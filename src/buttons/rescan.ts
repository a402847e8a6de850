/**
 * Rescan (moderators): asks VirusTotal again, bypassing the cache, and rewrites the message's embed
 * in place (serialised with votes on the same message, tally kept).
 */
import type { ButtonInteraction } from 'discord.js';
import { NO_PINGS } from '../commands/types.js';
import { settingsFor } from '../commands/guild-settings.js';
import { buildReply } from '../discord/render/card.js';
import { talliesFor } from '../discord/tallies.js';
import type { ButtonEnv } from './env.js';
import { tellPresser } from '../discord/respond.js';
import { indicatorFor, type Target } from './target.js';
import { isModerator } from './vote.js';

export async function rescan(env: ButtonEnv, interaction: ButtonInteraction, target: Target): Promise<void> {
  if (!isModerator(interaction)) {
    await tellPresser(interaction, 'Only moderators (Manage Messages) can ask for a rescan.');
    return;
  }
  const indicator = indicatorFor(target, interaction.message);
  await interaction.deferUpdate();
  const { ctx } = env;
  const settings = await settingsFor(ctx, interaction.guildId);
  const outcome = await ctx.scanner.scan(indicator, {
    priority: 'button', fresh: true, policy: { submitUrls: settings.submitUrls, uploadFiles: false },
  });
  await env.locks.run(interaction.message.id, async () => {
    const reply = buildReply([outcome], { threshold: settings.maliciousThreshold, tallies: await talliesFor(ctx, [outcome]) });
    await interaction.editReply({ ...reply, allowedMentions: NO_PINGS });
  });
  if (outcome.status !== 'found') await tellPresser(interaction, 'Rescan done: VirusTotal had no new report; the message shows why.');
}
