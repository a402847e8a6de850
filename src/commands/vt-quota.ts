/** `/vt quota`: how much of the key's minute, day and month budget is used, and the queue. */
import type { ChatInputCommandInteraction } from 'discord.js';
import { MessageFlags } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import type { QuotaUsage, WindowUsage } from '../vt/quota.js';
import { COLOURS } from '../discord/render/card.js';
import { NO_PINGS } from '../discord/send.js';

function line(name: string, w: WindowUsage): string {
  const reset = Math.floor(w.resetAt.getTime() / 1000);
  return `**${name}**: ${w.used}/${w.limit} used · frees <t:${reset}:R>`;
}

export function quotaText(usage: QuotaUsage): string {
  const lines = [line('This minute', usage.minute), line('Today (UTC)', usage.day), line('This month (UTC)', usage.month)];
  lines.push(`**Waiting**: ${usage.queued} request${usage.queued === 1 ? '' : 's'} in the queue`);
  if (usage.paused !== undefined) lines.push(`VirusTotal asked the bot to slow down; sending resumes <t:${Math.floor(usage.paused.getTime() / 1000)}:R>.`);
  return lines.join('\n');
}

/** Ephemeral: the numbers are the same for everyone and are only interesting to the asker. */
export async function replyQuota(ctx: AppContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const usage = await ctx.gate.usage();
  await interaction.reply({
    embeds: [{ title: 'VirusTotal quota', color: COLOURS.progress, description: quotaText(usage) }],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_PINGS,
  });
}
