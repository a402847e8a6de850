/**
 * Newer / Older on a `/vt-config history` page: the page and the filter come from the button's id
 * (render/history.ts), the entries from the store, and the ephemeral message is updated in place.
 * Checked again for Manage Server: the trail names members and what they posted.
 */
import type { ButtonInteraction } from 'discord.js';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { UserFacingError } from '../core/errors.js';
import { decodeHistoryButton, historyPage } from '../discord/render/history.js';
import { NO_PINGS, tellPresser } from '../discord/send.js';
import { translator } from '../core/i18n.js';
import type { ButtonEnv } from './env.js';

export async function turnHistoryPage(env: ButtonEnv, interaction: ButtonInteraction): Promise<void> {
  const tr = translator(interaction.locale);
  const view = decodeHistoryButton(interaction.customId);
  const guildId = interaction.guildId;
  if (view === null || guildId === null) throw new UserFacingError(tr('history.stale'));
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) !== true) {
    await tellPresser(interaction, tr('history.notAllowed'));
    return;
  }
  const { ctx } = env;
  const { historyDays } = await ctx.store.settings.get(guildId);
  const entries = await ctx.store.history.recent(guildId, { days: historyDays, now: ctx.clock(), ...(view.userId === undefined ? {} : { userId: view.userId }), ...(view.target === undefined ? {} : { target: view.target }) });
  await interaction.update({ ...historyPage(guildId, entries, view, historyDays, tr), allowedMentions: NO_PINGS });
}
