/**
 * Allowlist, False positive, Rescan and the votes on a review card (Manage Messages). Allowlist adds
 * the card's domains and file hashes to this server's allowlist; False positive undoes what the bot
 * did where it can (its reply, its reaction, a timeout or ban from the card or escalation), allowlists
 * and records; Rescan asks VirusTotal again and replaces the verdict cards; votes are cast on every
 * flagged object of the card and forwarded to VirusTotal. The presser is answered in their language,
 * the card records in the server's (card-press.ts).
 */
import { Routes } from 'discord.js';
import type { ButtonInteraction, Guild } from 'discord.js';
import { guildLocale, translator, type Translate } from '../core/i18n.js';
import { objectKey, type VoteVerdict } from '../core/objects.js';
import { confirmTargets } from '../discord/automod.js';
import { rememberVote } from '../discord/vote-memory.js';
import { auditReason, refusal, removeTimeout, unbanMember } from '../discord/moderation.js';
import { buildResultMessage } from '../discord/render/result-message.js';
import { talliesFor } from '../discord/tallies.js';
import { verdictLabel } from '../discord/render/card-facts.js';
import { outcomeWord } from '../scan/outcome.js';
import type { ReviewCard } from '../store/reviews.js';
import type { ButtonEnv } from './env.js';
import { record, refuseUnlessModerator, runOnCard, type PressLanguages } from './card-press.js';
import { indicatorFor } from './target.js';
import { forward } from './vote.js';

const SHA256 = /^[0-9a-f]{64}$/;

export async function allowlist(env: ButtonEnv, interaction: ButtonInteraction): Promise<void> {
  if (await refuseUnlessModerator(interaction, 'allowlist')) return;
  await runOnCard(env, interaction, async (card, say) => {
    const added = await allowTargets(env, card);
    const list = added.join(', ');
    record(env, card, interaction.user.id, added.length === 0 ? say.card('review.log.allowNothing') : say.card('review.log.allowlisted', { list }));
    return added.length === 0 ? say.presser('review.reply.allowNothing') : say.presser('review.reply.allowlisted', { list });
  });
}

export async function falsePositive(env: ButtonEnv, interaction: ButtonInteraction): Promise<void> {
  if (await refuseUnlessModerator(interaction, 'falsePositive')) return;
  await runOnCard(env, interaction, async (card, say) => {
    if (card.done.includes('false-positive')) return say.presser('review.reply.fpAlready');
    const undone = await undo(env, interaction, card, say.card);
    const added = await allowTargets(env, card);
    card.done.push('false-positive');
    await confirmTargets(env.ctx, interaction.client, card.guildId, card.targets, false);
    // What was done, as keys under `review.undo`: the card and the presser may speak different languages.
    const parts: [string, Record<string, unknown>?][] = [...undone.map((k): [string] => [k]), ...(added.length === 0 ? [] : [['allowlisted', { list: added.join(', ') }] as [string, Record<string, unknown>]])];
    const told = (tr: Translate, prefix: 'log' | 'reply'): string => (parts.length === 0 ? tr(`review.${prefix}.falsePositive`)
      : tr(`review.${prefix}.falsePositiveWith`, { parts: parts.map(([k, vars]) => tr(`review.undo.${k}`, vars)).join('; ') }));
    record(env, card, interaction.user.id, told(say.card, 'log'));
    return told(say.presser, 'reply');
  });
}

export async function rescanCard(env: ButtonEnv, interaction: ButtonInteraction): Promise<void> {
  if (await refuseUnlessModerator(interaction, 'rescan')) return;
  await runOnCard(env, interaction, async (card, say) => {
    const { ctx } = env;
    const settings = await ctx.store.settings.get(card.guildId);
    const policy = { submitUrls: settings.submitUrls, uploadFiles: false };
    const outcomes = await Promise.all(card.targets.map(async (t) =>
      ctx.scanner.scan(await indicatorFor(ctx, t), { priority: 'button', fresh: true, policy, reservePercent: settings.autoscanReserve })));
    const tallies = await talliesFor(ctx, card.guildId, outcomes);
    const locale = guildLocale(settings.language, interaction.guild?.preferredLocale);
    card.results = buildResultMessage(outcomes, { threshold: settings.maliciousThreshold, tallies, locale }).embeds;
    const words = (tr: Translate, lng: string | undefined): string =>
      outcomes.map((o) => verdictLabel(outcomeWord(o, settings.maliciousThreshold), lng)).join(', ') || tr('review.log.nothingToRescan');
    record(env, card, interaction.user.id, say.card('review.log.rescanned', { words: words(say.card, locale) }));
    return say.presser('review.reply.rescanned', { words: words(say.presser, interaction.locale) });
  });
}

export async function voteOnCard(env: ButtonEnv, interaction: ButtonInteraction, verdict: VoteVerdict): Promise<void> {
  if (await refuseUnlessModerator(interaction, 'vote')) return;
  await runOnCard(env, interaction, async (card, say) => {
    const casts = await Promise.all(card.targets.map((t) => env.ctx.store.votes.cast(card.guildId, objectKey(t), interaction.user.id, verdict)));
    const word = verdictLabel(verdict, interaction.locale);
    if (!casts.some((c) => c.changed)) return say.presser('votes.already', { verdict: word });
    record(env, card, interaction.user.id, say.card('review.log.voted', { verdict: say.card(`verdict.${verdict}`, { defaultValue: verdict }) }));
    // The audit trail, retro alerts and the AutoMod rule hear of a card's votes as of any other.
    for (const [i, target] of card.targets.entries()) {
      const tally = casts[i]?.tally;
      if (tally === undefined || casts[i]?.changed !== true) continue;
      await rememberVote(env.ctx, interaction.client, { guildId: card.guildId, channelId: card.cardChannelId, messageId: interaction.message.id, moderatorId: interaction.user.id, target, verdict, tally });
    }
    // Forwarded inside the card's queue: a second press waits, so VirusTotal never gets two at once.
    const forwarded = await Promise.all(card.targets.slice(0, 3).map((t) => forward(env, t, verdict, translator(interaction.locale), interaction.locale)));
    return say.presser('review.reply.voted', { verdict: word, forwarded: [...new Set(forwarded)].join('; ') });
  });
}

/** Adds the card's domains and hashes to the server's allowlist; returns what was new. */
async function allowTargets(env: ButtonEnv, card: ReviewCard): Promise<string[]> {
  const added: string[] = [];
  for (const value of new Set(card.targets.flatMap((t) => (t.allow === null ? [] : [t.allow])))) {
    if (SHA256.test(value)) {
      if ((await env.ctx.store.settings.allowHash(card.guildId, value)).changed) added.push(`\`${value}\``);
    } else {
      const result = await env.ctx.store.settings.allow(card.guildId, value);
      if (result.ok && result.changed) added.push(`\`${result.domain}\``);
    }
  }
  return added;
}

/** Undoes what can be undone of what the bot and the card did; returns what it did, as keys under `review.undo`. */
async function undo(env: ButtonEnv, interaction: ButtonInteraction, card: ReviewCard, server: PressLanguages['card']): Promise<string[]> {
  const { client } = interaction;
  const guild = interaction.guild as Guild;
  const actor = { id: interaction.user.id, permissions: interaction.memberPermissions };
  const reason = auditReason(server('review.audit.falsePositive'), { id: interaction.user.id, username: interaction.user.username }, interaction.message.id, server);
  const said: string[] = [];
  if (card.bot.replyId !== undefined) {
    await client.rest.delete(Routes.channelMessage(card.channelId, card.bot.replyId)).catch(() => undefined);
    said.push('removedReply');
  }
  if (card.bot.steps.includes('reacted')) {
    await client.rest.delete(Routes.channelMessageOwnReaction(card.channelId, card.messageId, encodeURIComponent('⚠️'))).catch(() => undefined);
    said.push('removedReaction');
  }
  const authorId = card.authorId ?? '';
  if (card.done.includes('timed-out') && !card.done.includes('banned') && !card.done.includes('kicked')) {
    const no = await refusal(guild, actor, 'timeout', authorId);
    if (no === null) {
      await removeTimeout(client, card.guildId, authorId, reason);
      said.push('liftedTimeout');
    } else said.push('cannotLiftTimeout');
  }
  if (card.done.includes('banned')) {
    if (interaction.memberPermissions?.has('BanMembers') === true) {
      await unbanMember(client, card.guildId, authorId, reason).catch(() => undefined);
      said.push('liftedBan');
    } else said.push('cannotLiftBan');
  }
  if (card.done.includes('deleted')) said.push('cannotRestore');
  if (card.done.includes('kicked')) said.push('cannotUndoKick');
  return said;
}
