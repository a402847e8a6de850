/** `/vt quota`: how much of the key's minute, day and month budget is used, and the queue. */
import type { ChatInputCommandInteraction } from 'discord.js';
import { MessageFlags } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import type { QuotaUsage, WindowUsage } from '../vt/quota.js';
import { COLOURS } from '../discord/render/card.js';
import { NO_PINGS } from '../discord/send.js';
import { translator, type Translate } from '../core/i18n.js';

function line(tr: Translate, nameKey: string, w: WindowUsage): string {
  const reset = Math.floor(w.resetAt.getTime() / 1000);
  return tr('quota.line', { name: tr(nameKey), used: w.used, limit: w.limit, when: `<t:${reset}:R>` });
}

export function quotaText(usage: QuotaUsage, locale?: string): string {
  const tr = translator(locale);
  const lines = [line(tr, 'quota.minute', usage.minute), line(tr, 'quota.day', usage.day), line(tr, 'quota.month', usage.month)];
  lines.push(tr('quota.waiting', { count: usage.queued }));
  if (usage.paused !== undefined) lines.push(tr('quota.paused', { when: `<t:${Math.floor(usage.paused.getTime() / 1000)}:R>` }));
  return lines.join('\n');
}

/** Ephemeral: the numbers are the same for everyone and are only interesting to the asker. */
export async function replyQuota(ctx: AppContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const usage = await ctx.gate.usage();
  await interaction.reply({
    embeds: [{ title: translator(interaction.locale)('quota.title'), color: COLOURS.progress, description: quotaText(usage, interaction.locale) }],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_PINGS,
  });
}
