/** `/vt help`: what the bot does in this server, what it sends to VirusTotal, how to appeal; only the asker sees it. */
import type { ChatInputCommandInteraction } from 'discord.js';
import { MessageFlags } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import { helpEmbed } from '../discord/render/help.js';
import { NO_PINGS } from '../discord/send.js';
import { translator } from '../core/i18n.js';

export async function replyHelp(ctx: AppContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const settings = await ctx.store.settings.getOrDefaults(interaction.guildId);
  await interaction.reply({ embeds: [helpEmbed(settings, translator(interaction.locale))], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}
