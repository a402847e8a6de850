/**
 * The buttons of review cards and consent cards (README.md "Review cards"). A card's state is in the
 * store under the card's message id (src/store/reviews.ts); each press is checked for the permission
 * Discord requires for it before anything is tried (a refusal is ephemeral), then runs serialised
 * with every other press on the same card (card-press.ts).
 */
import type { ButtonInteraction } from 'discord.js';
import type { CardAction } from '../discord/custom-id.js';
import { staleCard } from './card-press.js';
import type { ButtonEnv } from './env.js';
import { uploadOnConsent } from './consent-upload.js';
import { moderate } from './review-moderate.js';
import { allowlist, falsePositive, rescanCard, voteOnCard } from './review-verdict.js';


export async function onCardButton(env: ButtonEnv, interaction: ButtonInteraction, action: CardAction): Promise<void> {
  const card = await env.ctx.store.reviews.get(interaction.message.id);
  if (card === null || interaction.guild === null || card.guildId !== interaction.guildId) throw staleCard();
  if (action === 'upload') {
    if (card.kind !== 'consent') throw staleCard();
    return uploadOnConsent(env, interaction, card);
  }
  if (card.kind !== 'review') throw staleCard();
  switch (action) {
    case 'delete': case 'timeout': case 'kick': case 'ban': return moderate(env, interaction, card, action);
    case 'allow': return allowlist(env, interaction);
    case 'false-positive': return falsePositive(env, interaction);
    case 'rescan': return rescanCard(env, interaction);
    case 'vote-malicious': return voteOnCard(env, interaction, 'malicious');
    case 'vote-harmless': return voteOnCard(env, interaction, 'harmless');
  }
}
