/**
 * Every settings change leaves two traces: a line in the server's log channel (who, what, old → new)
 * and an entry in the audit trail. Neither may undo the change: a log channel the bot cannot post to
 * is logged as a warning, the change stands.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import type { AppContext } from '../context.js';
import type { GuildSettings } from '../store/settings.js';
import { recordHistory } from '../discord/history-record.js';
import { sendToChannel } from '../discord/send.js';
import { guildLocale, t } from '../core/i18n.js';

export interface SettingChange {
  /** What changed, e.g. `action`, `ignored channels` (in the server's language). */
  what: string;
  before: string;
  after: string;
}

/** Posts the change to the log channel (the new one, when that is what changed) and records it. */
export async function announceChange(ctx: AppContext, interaction: ChatInputCommandInteraction<'cached'> | ChatInputCommandInteraction, settings: GuildSettings, change: SettingChange): Promise<void> {
  const guildId = interaction.guildId;
  if (guildId === null) return;
  const locale = guildLocale(settings.language, interaction.guild?.preferredLocale);
  const line = t(locale, 'scope.changed', { user: `<@${interaction.user.id}>`, what: change.what, before: change.before, after: change.after });
  const log = ctx.log.child({ module: 'config', guildId });
  await recordHistory(ctx, guildId, { kind: 'setting', moderatorId: interaction.user.id, channelId: interaction.channelId, detail: `${change.what}: ${change.before} → ${change.after}` });
  const channelId = settings.logChannel;
  if (channelId === null) return;
  await sendToChannel(interaction.client, channelId, { content: line.slice(0, 2000) })
    .catch((err: unknown) => log.warn({ err, logChannel: channelId }, 'could not post a settings change to the log channel'));
}
