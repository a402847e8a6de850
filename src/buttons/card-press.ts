/**
 * How a review-card press runs: the permission check of the verdict buttons, and the work on the
 * card as stored now, serialised with every other press on the same card (env.cards), recorded on
 * the card, re-rendered, and told to the presser.
 */
import type { ButtonInteraction } from 'discord.js';
import { DiscordAPIError, PermissionFlagsBits } from 'discord.js';
import { bodyOf } from '../discord/review-post.js';
import { NO_PINGS, tellPresser } from '../discord/send.js';
import type { ReviewCard, StoredCard } from '../store/reviews.js';
import type { ButtonEnv } from './env.js';

export const STALE = 'This card is too old to act on, or not a card of this bot; nothing was done.';

/** What a press does once allowed: changes `card` (inside the card's queue) and says what happened. */
export type CardWork = (card: ReviewCard) => Promise<string>;

/** Moderators only (Manage Messages): the card's verdict buttons. Says no ephemerally otherwise. */
export async function refuseUnlessModerator(interaction: ButtonInteraction, what: string): Promise<boolean> {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) === true) return false;
  await tellPresser(interaction, `You need the Manage Messages permission to ${what}; nothing was done.`);
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
  const said = await env.cards.run(cardId, async () => {
    const card = await env.ctx.store.reviews.get(cardId);
    if (card?.kind !== 'review') return STALE;
    let answer: string;
    try {
      answer = await work(card);
    } catch (error) {
      if (!(error instanceof DiscordAPIError) || error.status !== 403) throw error;
      answer = 'Discord refused: the bot is missing a permission (or the member is above its role). Nothing more was done.';
    }
    await saveAndShow(env, interaction, cardId, card);
    return answer;
  });
  await tellPresser(interaction, said);
}

/** Stores the card and shows it on its message. */
export async function saveAndShow(env: ButtonEnv, interaction: ButtonInteraction, cardId: string, card: StoredCard): Promise<void> {
  await env.ctx.store.reviews.put(cardId, card);
  const body = await bodyOf(env.ctx, card);
  await interaction.editReply({ ...body, allowedMentions: NO_PINGS });
}

/** One line on the card: who did what, now. */
export function record(env: ButtonEnv, card: ReviewCard, by: string | null, what: string): void {
  card.actions.push({ at: env.ctx.clock(), by, what });
}
