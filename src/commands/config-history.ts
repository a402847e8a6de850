/**
 * `/vt-config history [user:] [target:]`: the latest audit-trail entries, ephemeral, ten per page
 * with Newer / Older buttons (src/buttons/history-pages.ts turns the pages).
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { MessageFlags } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import { historyPage, type HistoryView } from '../discord/render/history.js';
import { NO_PINGS } from '../discord/send.js';
import { translator } from '../core/i18n.js';

export const TARGET_MAX = 80;

export async function runHistory(ctx: AppContext, interaction: ChatInputCommandInteraction, guildId: string): Promise<void> {
  const user = interaction.options.getUser('user');
  const target = interaction.options.getString('target')?.trim();
  const view: HistoryView = { page: 0, ...(user === null ? {} : { userId: user.id }), ...(target === undefined || target === '' ? {} : { target: target.slice(0, TARGET_MAX) }) };
  const { historyDays } = await ctx.store.settings.get(guildId);
  const entries = await ctx.store.history.recent(guildId, { days: historyDays, now: ctx.clock(), ...(view.userId === undefined ? {} : { userId: view.userId }), ...(view.target === undefined ? {} : { target: view.target }) });
  await interaction.reply({ ...historyPage(guildId, entries, view, historyDays, translator(interaction.locale)), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}
