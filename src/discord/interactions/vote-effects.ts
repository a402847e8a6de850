/**
 * What a vote causes besides the tally: a line in the guild's log channel, and — for the first
 * malicious vote on an auto-scan reply in a guild whose action is `delete` — deleting the scanned
 * message through the auto-scan engineer's `applyAction` (so delete + log works the same way).
 */
import type { ButtonInteraction } from 'discord.js';
import type { GuildSettings } from '../../store/settings.js';
import type { Tally } from '../../store/votes.js';
import type { VoteVerdict } from '../../vt/backend.js';
import { NO_PINGS } from '../../commands/types.js';
import { applyAction } from '../actions.js';
import { KIND_LABEL } from '../embed-facts.js';
import { codeSpan, defang } from '../defang.js';
import { tallyText } from '../embeds.js';
import type { ButtonEnv } from './env.js';
import type { Target } from './target.js';

export interface VoteFacts {
  target: Target;
  verdict: VoteVerdict;
  tally: Tally;
  settings: GuildSettings;
}

export async function afterVote(env: ButtonEnv, interaction: ButtonInteraction, facts: VoteFacts): Promise<void> {
  const log = env.ctx.log.child({ module: 'votes', messageId: interaction.message.id });
  await logVote(interaction, facts).catch((err: unknown) => log.warn({ err, logChannel: facts.settings.logChannel }, 'could not post the vote to the log channel'));
  const scanned = interaction.message.reference?.messageId;
  // An auto-scan answer replies to the scanned message; a command's answer has interaction metadata.
  const isAutoScanReply = scanned !== undefined && interaction.message.interactionMetadata === null;
  const firstMalicious = facts.verdict === 'malicious' && facts.tally.malicious === 1;
  if (!isAutoScanReply || !firstMalicious || facts.settings.action !== 'delete') return;
  await applyAction(
    env.ctx, interaction.client,
    { id: scanned, channelId: interaction.message.reference?.channelId ?? interaction.channelId, guildId: interaction.guildId },
    facts.settings,
    { embeds: interaction.message.embeds.map((e) => e.toJSON()), components: [] },
  );
}

async function logVote(interaction: ButtonInteraction, facts: VoteFacts): Promise<void> {
  const channelId = facts.settings.logChannel;
  if (channelId === null) return;
  const channel = await interaction.client.channels.fetch(channelId);
  if (channel?.isSendable() !== true) throw new Error(`Expected a text channel for the log, got ${channel === null ? 'nothing' : String(channel.type)}`);
  const shown = facts.target.kind === 'domain' || facts.target.kind === 'ip' ? defang(facts.target.id) : facts.target.id;
  const where = interaction.guildId === null ? '' : ` (https://discord.com/channels/${interaction.guildId}/${interaction.channelId}/${interaction.message.id})`;
  await channel.send({
    content: `🗳️ <@${interaction.user.id}> voted **${facts.verdict}** on ${KIND_LABEL[facts.target.kind]} ${codeSpan(shown, 120)} — ${tallyText(facts.tally)}${where}`,
    allowedMentions: NO_PINGS,
  });
}
