/**
 * Vote malicious / Vote harmless (Manage Messages). The vote is stored once per moderator, server and
 * object, the message's tally is updated (serialised per message) — and, for a vote from a picker's
 * ephemeral view, the public reply's card too — then the vote is forwarded to VirusTotal, after the
 * updates, because the quota queue may hold it for minutes.
 */
import type { ButtonInteraction } from 'discord.js';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { AlreadyExistsError, NotAvailableOnV2Error } from '../vt/errors.js';
import { objectKey, type ObjectRef, type VoteVerdict } from '../core/objects.js';
import { NO_PINGS, tellPresser } from '../discord/send.js';
import { withTally } from '../discord/render/card.js';
import { userMessageFor } from '../discord/present-error.js';
import type { ButtonEnv } from './env.js';
import { afterVote } from './vote-effects.js';
import { rememberVote } from '../discord/vote-memory.js';
import { pickedFrom, updatePublicTally } from './public-card.js';
import { translator, type Translate } from '../core/i18n.js';
import { verdictLabel } from '../discord/render/card-facts.js';

export function isModerator(interaction: Pick<ButtonInteraction, 'memberPermissions'>): boolean {
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) === true;
}

export async function vote(env: ButtonEnv, interaction: ButtonInteraction, target: ObjectRef, verdict: VoteVerdict): Promise<void> {
  const tr = translator(interaction.locale);
  if (!isModerator(interaction)) {
    await tellPresser(interaction, tr('votes.onlyModerators'));
    return;
  }
  await interaction.deferUpdate();
  const { ctx } = env;
  const key = objectKey(target);
  const cast = await env.cards.run(interaction.message.id, async () => {
    const result = await ctx.store.votes.cast(interaction.guildId, key, interaction.user.id, verdict);
    const [only] = interaction.message.embeds;
    // Buttons only sit under single-item replies, so the one embed is the item voted on.
    if (only !== undefined && interaction.message.embeds.length === 1) {
      await interaction.editReply({ embeds: [withTally(only.toJSON(), result.tally)], allowedMentions: NO_PINGS });
    }
    return result;
  });
  const picked = await pickedFrom(interaction);
  if (picked !== null && cast.changed) await updatePublicTally(env, picked, interaction.guildId, key);
  if (!cast.changed) {
    await tellPresser(interaction, tr('votes.already', { verdict: verdictLabel(verdict, interaction.locale) }));
    return;
  }
  const forwarded = await forward(env, target, verdict, tr, interaction.locale);
  await tellPresser(interaction, tr('votes.recorded', {
    verdict: verdictLabel(verdict, interaction.locale), malicious: cast.tally.malicious, harmless: cast.tally.harmless, forwarded,
  }));
  const settings = await ctx.store.settings.getOrDefaults(interaction.guildId);
  await afterVote(env, interaction, picked ?? interaction.message, { target, verdict, tally: cast.tally, settings });
  const card = picked ?? interaction.message;
  await rememberVote(ctx, interaction.client, { guildId: interaction.guildId, channelId: card.channelId, messageId: card.id, moderatorId: interaction.user.id, target, verdict, tally: cast.tally, quorum: settings.quorum });
}

/** Forwards a moderator vote to VirusTotal; says how that went, in the presser's words (`tr`, `locale`). */
export async function forward(env: ButtonEnv, target: ObjectRef, verdict: VoteVerdict, tr: Translate, locale: string): Promise<string> {
  try {
    await env.ctx.vt.postVote(target.kind, target.id, verdict, { priority: 'button' });
    return tr('votes.forwarded');
  } catch (err) {
    if (err instanceof AlreadyExistsError) return tr('votes.vtHasOne');
    if (err instanceof NotAvailableOnV2Error) return tr('votes.v2');
    env.ctx.log.warn({ module: 'votes', kind: target.kind, id: target.id, err }, 'vote not forwarded to VirusTotal');
    return tr('votes.notTaken', { why: userMessageFor(err, locale) ?? tr('votes.noAnswer') });
  }
}
