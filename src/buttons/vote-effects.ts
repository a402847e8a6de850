/**
 * What a vote causes besides the tally: a line in the guild's log channel, and — for the first
 * malicious vote on an auto-scan reply in a guild whose action is `delete` — deleting the scanned
 * message through `actOnFlagged`, as auto-scan itself would (so delete + log works the same way).
 */
import type { ButtonInteraction, Message } from 'discord.js';
import type { GuildSettings } from '../store/settings.js';
import type { ModeratorTally, ObjectRef, VoteVerdict } from '../core/objects.js';
import { actOnFlagged } from '../discord/flagged-action.js';
import { NO_PINGS } from '../discord/send.js';
import { kindLabel, verdictLabel } from '../discord/render/card-facts.js';
import { codeSpan, defang } from '../discord/render/defang.js';
import { tallyText } from '../discord/render/card.js';
import { guildLocale, t } from '../core/i18n.js';
import type { ButtonEnv } from './env.js';

export interface VoteFacts {
  target: ObjectRef;
  verdict: VoteVerdict;
  tally: ModeratorTally;
  settings: GuildSettings;
}

/** `card` is the message whose card was voted on: the pressed one, or the public reply a picker view came from. */
export async function afterVote(env: ButtonEnv, interaction: ButtonInteraction, card: Message, facts: VoteFacts): Promise<void> {
  const log = env.ctx.log.child({ module: 'votes', messageId: card.id });
  await logVote(interaction, card, facts).catch((err: unknown) => log.warn({ err, logChannel: facts.settings.logChannel }, 'could not post the vote to the log channel'));
  const scanned = card.reference?.messageId;
  // An auto-scan answer replies to the scanned message; a command's answer has interaction metadata.
  const isAutoScanReply = scanned !== undefined && card.interactionMetadata === null;
  const firstMalicious = facts.verdict === 'malicious' && facts.tally.malicious === 1;
  if (!isAutoScanReply || !firstMalicious || facts.settings.action !== 'delete') return;
  await actOnFlagged(
    env.ctx, interaction.client,
    { id: scanned, channelId: card.reference?.channelId ?? interaction.channelId, guildId: interaction.guildId },
    { ...facts.settings, locale: guildLocale(facts.settings.language, interaction.guildLocale) },
    { embeds: card.embeds.map((e) => e.toJSON()), components: [] },
  );
}

async function logVote(interaction: ButtonInteraction, card: Message, facts: VoteFacts): Promise<void> {
  const channelId = facts.settings.logChannel;
  if (channelId === null) return;
  const channel = await interaction.client.channels.fetch(channelId);
  if (channel?.isSendable() !== true) throw new Error(`Expected a text channel for the log, got ${channel === null ? 'nothing' : String(channel.type)}`);
  const shown = facts.target.kind === 'domain' || facts.target.kind === 'ip' ? defang(facts.target.id) : facts.target.id;
  const where = interaction.guildId === null ? '' : ` (https://discord.com/channels/${interaction.guildId}/${interaction.channelId}/${card.id})`;
  const locale = guildLocale(facts.settings.language, interaction.guildLocale);
  await channel.send({
    content: t(locale, 'votes.log', {
      user: `<@${interaction.user.id}>`, verdict: verdictLabel(facts.verdict, locale), kind: kindLabel(facts.target.kind, locale),
      target: codeSpan(shown, 120), tally: tallyText(facts.tally, locale), where,
    }),
    allowedMentions: NO_PINGS,
  });
}
