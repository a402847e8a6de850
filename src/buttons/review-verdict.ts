/**
 * Allowlist, False positive, Rescan and the votes on a review card (Manage Messages). Allowlist adds
 * the card's domains and file hashes to this server's allowlist; False positive undoes what the bot
 * did where it can (its reply, its reaction, a timeout or ban from the card or escalation), allowlists
 * and records; Rescan asks VirusTotal again and replaces the verdict cards; votes are cast on every
 * flagged object of the card and forwarded to VirusTotal.
 */
import { Routes } from 'discord.js';
import type { ButtonInteraction, Guild } from 'discord.js';
import { translator } from '../core/i18n.js';
import { objectKey, type VoteVerdict } from '../core/objects.js';
import { confirmTargets } from '../discord/automod.js';
import { rememberVote } from '../discord/vote-memory.js';
import { auditReason, refusal, removeTimeout, unbanMember } from '../discord/moderation.js';
import { buildResultMessage } from '../discord/render/result-message.js';
import { talliesFor } from '../discord/tallies.js';
import { outcomeWord } from '../scan/outcome.js';
import type { ReviewCard } from '../store/reviews.js';
import type { ButtonEnv } from './env.js';
import { record, refuseUnlessModerator, runOnCard } from './card-press.js';
import { indicatorFor } from './target.js';
import { forward } from './vote.js';

const SHA256 = /^[0-9a-f]{64}$/;

export async function allowlist(env: ButtonEnv, interaction: ButtonInteraction): Promise<void> {
  if (await refuseUnlessModerator(interaction, 'allowlist from a review card')) return;
  await runOnCard(env, interaction, async (card) => {
    const added = await allowTargets(env, card);
    record(env, card, interaction.user.id, added.length === 0 ? 'pressed Allowlist (nothing new to add)' : `allowlisted ${added.join(', ')}`);
    return added.length === 0 ? 'Nothing new to allowlist (IP addresses cannot be).' : `Allowlisted for this server: ${added.join(', ')}.`;
  });
}

export async function falsePositive(env: ButtonEnv, interaction: ButtonInteraction): Promise<void> {
  if (await refuseUnlessModerator(interaction, 'mark a false positive')) return;
  await runOnCard(env, interaction, async (card) => {
    if (card.done.includes('false-positive')) return 'This card is already marked a false positive.';
    const undone = await undo(env, interaction, card);
    const added = await allowTargets(env, card);
    card.done.push('false-positive');
    await confirmTargets(env.ctx, interaction.client, card.guildId, card.targets, false);
    const parts = [...undone, ...(added.length === 0 ? [] : [`allowlisted ${added.join(', ')}`])];
    record(env, card, interaction.user.id, `marked a false positive${parts.length === 0 ? '' : `: ${parts.join('; ')}`}`);
    return `Marked a false positive${parts.length === 0 ? '' : `: ${parts.join('; ')}`}.`;
  });
}

export async function rescanCard(env: ButtonEnv, interaction: ButtonInteraction): Promise<void> {
  if (await refuseUnlessModerator(interaction, 'rescan')) return;
  await runOnCard(env, interaction, async (card) => {
    const { ctx } = env;
    const settings = await ctx.store.settings.get(card.guildId);
    const policy = { submitUrls: settings.submitUrls, uploadFiles: false };
    const outcomes = await Promise.all(card.targets.map(async (t) =>
      ctx.scanner.scan(await indicatorFor(ctx, t), { priority: 'button', fresh: true, policy, reservePercent: settings.autoscanReserve })));
    const tallies = await talliesFor(ctx, card.guildId, outcomes);
    card.results = buildResultMessage(outcomes, { threshold: settings.maliciousThreshold, tallies }).embeds;
    const words = outcomes.map((o) => outcomeWord(o, settings.maliciousThreshold));
    record(env, card, interaction.user.id, `rescanned: ${words.join(', ') || 'nothing to rescan'}`);
    return `Rescanned: ${words.join(', ') || 'nothing to rescan'}.`;
  });
}

export async function voteOnCard(env: ButtonEnv, interaction: ButtonInteraction, verdict: VoteVerdict): Promise<void> {
  if (await refuseUnlessModerator(interaction, 'vote')) return;
  await runOnCard(env, interaction, async (card) => {
    const casts = await Promise.all(card.targets.map((t) => env.ctx.store.votes.cast(card.guildId, objectKey(t), interaction.user.id, verdict)));
    if (!casts.some((c) => c.changed)) return `Your vote was already recorded as **${verdict}**.`;
    record(env, card, interaction.user.id, `voted ${verdict}`);
    // The audit trail, retro alerts and the AutoMod rule hear of a card's votes as of any other.
    for (const [i, target] of card.targets.entries()) {
      const tally = casts[i]?.tally;
      if (tally === undefined || casts[i]?.changed !== true) continue;
      await rememberVote(env.ctx, interaction.client, { guildId: card.guildId, channelId: card.cardChannelId, messageId: interaction.message.id, moderatorId: interaction.user.id, target, verdict, tally });
    }
    // Forwarded inside the card's queue: a second press waits, so VirusTotal never gets two at once.
    const forwarded = await Promise.all(card.targets.slice(0, 3).map((t) => forward(env, t, verdict, translator(interaction.locale), interaction.locale)));
    return `Recorded your **${verdict}** vote; ${[...new Set(forwarded)].join('; ')}.`;
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

/** Undoes what can be undone of what the bot and the card did; returns what it did, in words. */
async function undo(env: ButtonEnv, interaction: ButtonInteraction, card: ReviewCard): Promise<string[]> {
  const { client } = interaction;
  const guild = interaction.guild as Guild;
  const actor = { id: interaction.user.id, permissions: interaction.memberPermissions };
  const reason = auditReason('false positive', { id: interaction.user.id, username: interaction.user.username }, interaction.message.id);
  const said: string[] = [];
  if (card.bot.replyId !== undefined) {
    await client.rest.delete(Routes.channelMessage(card.channelId, card.bot.replyId)).catch(() => undefined);
    said.push("removed the bot's reply");
  }
  if (card.bot.steps.includes('reacted')) {
    await client.rest.delete(Routes.channelMessageOwnReaction(card.channelId, card.messageId, encodeURIComponent('⚠️'))).catch(() => undefined);
    said.push("removed the bot's ⚠️");
  }
  const authorId = card.authorId ?? '';
  if (card.done.includes('timed-out') && !card.done.includes('banned') && !card.done.includes('kicked')) {
    const no = await refusal(guild, actor, 'timeout', authorId);
    if (no === null) {
      await removeTimeout(client, card.guildId, authorId, reason);
      said.push('lifted the timeout');
    } else said.push('could not lift the timeout (you need Timeout Members)');
  }
  if (card.done.includes('banned')) {
    if (interaction.memberPermissions?.has('BanMembers') === true) {
      await unbanMember(client, card.guildId, authorId, reason).catch(() => undefined);
      said.push('lifted the ban');
    } else said.push('could not lift the ban (you need Ban Members)');
  }
  if (card.done.includes('deleted')) said.push('the deleted message cannot be restored');
  if (card.done.includes('kicked')) said.push('the kick cannot be undone');
  return said;
}
