/**
 * How a review-card press runs: the permission check of the verdict buttons, and the work on the
 * card as stored now, serialised with every other press on the same card (env.cards), recorded on
 * the card, re-rendered, and told to the presser. What the presser is told speaks their language
 * (`interaction.locale`); what the card records speaks the server's (src/discord/review-post.ts `serverLocale`).
 */
import type { ButtonInteraction } from 'discord.js';
import { DiscordAPIError, PermissionFlagsBits } from 'discord.js';
import { translator, type Translate } from '../core/i18n.js';
import { UserFacingError } from '../core/errors.js';
import { bodyOf, serverLocale } from '../discord/review-post.js';
import { NO_PINGS, tellPresser } from '../discord/send.js';
import type { ReviewCard, StoredCard } from '../store/reviews.js';
import type { ButtonEnv } from './env.js';

/** The English text of a stale press (what logs see); members read `review.reply.stale` in their language. */
const STALE = translator('en')('review.reply.stale');

/** The press on a card that is gone or not ours, told in the presser's language. */
export function staleCard(): UserFacingError {
  return new UserFacingError(STALE, { translationKey: 'review.reply.stale' });
}

/** The two languages of a press: the presser's (`presser`) and the server's, for the card (`card`). */
export interface PressLanguages {
  presser: Translate;
  card: Translate;
}

/** What a press does once allowed: changes `card` (inside the card's queue) and says what happened, in `say.presser`. */
export type CardWork = (card: ReviewCard, say: PressLanguages) => Promise<string>;

/** The verdict buttons that only moderators may press (keys of `review.needModerator`). */
export type ModeratorOnly = 'allowlist' | 'falsePositive' | 'rescan' | 'vote' | 'upload';

/** Moderators only (Manage Messages): the card's verdict buttons. Says no ephemerally otherwise. */
export async function refuseUnlessModerator(interaction: ButtonInteraction, what: ModeratorOnly): Promise<boolean> {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) === true) return false;
  await tellPresser(interaction, translator(interaction.locale)(`review.needModerator.${what}`));
  return true;
}

/**
 * Acknowledges the press, then runs `work` on the card as stored now, records what it says on the
 * card, re-renders the card, and tells the presser. A request Discord refuses for a missing
 * permission is told to the presser, not thrown.
 */
export async function runOnCard(env: ButtonEnv, interaction: ButtonInteraction, work: CardWork): Promise<void> {
  await interaction.deferUpdate();
  const cardId = interaction.message.id;
  const presser = translator(interaction.locale);
  const said = await env.cards.run(cardId, async () => {
    const card = await env.ctx.store.reviews.get(cardId);
    if (card?.kind !== 'review') return presser('review.reply.stale');
    const say = { presser, card: translator(await serverLocale(env.ctx, interaction.client, card.guildId)) };
    let answer: string;
    try {
      answer = await work(card, say);
    } catch (error) {
      if (!(error instanceof DiscordAPIError) || error.status !== 403) throw error;
      answer = presser('review.reply.discordRefused');
    }
    await saveAndShow(env, interaction, cardId, card);
    return answer;
  });
  await tellPresser(interaction, said);
}

/** Stores the card and shows it on its message. */
export async function saveAndShow(env: ButtonEnv, interaction: ButtonInteraction, cardId: string, card: StoredCard): Promise<void> {
  await env.ctx.store.reviews.put(cardId, card);
  const body = await bodyOf(env.ctx, interaction.client, card);
  await interaction.editReply({ ...body, allowedMentions: NO_PINGS });
}

/** One line on the card: who did what, now. */
export function record(env: ButtonEnv, card: ReviewCard, by: string | null, what: string): void {
  card.actions.push({ at: env.ctx.clock(), by, what });
}
