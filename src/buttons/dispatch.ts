/**
 * The buttons and the item picker of result messages, dispatched through the custom_id codec.
 * One instance per client: it holds the per-card queue every handler serialises its edits on.
 */
import type { ButtonInteraction, StringSelectMenuInteraction } from 'discord.js';
import { MessageFlags } from 'discord-api-types/v10';
import type { ObjectRef } from '../core/objects.js';
import { UserFacingError } from '../core/errors.js';
import { KeyedSerialQueue } from '../core/serial.js';
import type { AppContext } from '../context.js';
import { decode, decodeCard, decodeTarget } from '../discord/custom-id.js';
import type { InteractionRoutes } from '../discord/interactions.js';
import { buttonsFor } from '../discord/render/result-message.js';
import { NO_PINGS } from '../discord/send.js';
import { isHistoryButton } from '../discord/render/history.js';
import { detailsFor } from './details.js';
import { turnHistoryPage } from './history-pages.js';
import type { ButtonEnv } from './env.js';
import { rescan } from './rescan.js';
import { onCardButton } from './review-card.js';
import { indicatorFor } from './target.js';
import { vote } from './vote.js';

const STALE = 'This button no longer works; run the command again.';
const stale = (): UserFacingError => new UserFacingError(STALE, { translationKey: 'buttonErrors.stale' });

export function createComponentHandlers(ctx: AppContext): Pick<InteractionRoutes, 'onButton' | 'onSelect'> {
  const env: ButtonEnv = { ctx, cards: new KeyedSerialQueue() };
  return {
    onButton: (interaction) => handleButton(env, interaction),
    onSelect: (interaction) => handlePick(env, interaction),
  };
}

async function handleButton(env: ButtonEnv, interaction: ButtonInteraction): Promise<void> {
  if (isHistoryButton(interaction.customId)) return turnHistoryPage(env, interaction);
  const card = decodeCard(interaction.customId);
  if (card !== null) return onCardButton(env, interaction, card);
  const id = decode(interaction.customId);
  if (id === null || id.action === 'pick') throw stale();
  const target: ObjectRef = { kind: id.kind, id: id.id };
  switch (id.action) {
    case 'vote-malicious': return vote(env, interaction, target, 'malicious');
    case 'vote-harmless': return vote(env, interaction, target, 'harmless');
    case 'rescan': return rescan(env, interaction, target);
    case 'details': return showDetails(env, interaction, target, false);
  }
}

/** The picker on multi-item replies: that item's details plus its own buttons, ephemerally. */
async function handlePick(env: ButtonEnv, interaction: StringSelectMenuInteraction): Promise<void> {
  const id = decode(interaction.customId);
  const target = decodeTarget(interaction.values[0] ?? '');
  if (id?.action !== 'pick' || target === null) throw stale();
  await showDetails(env, interaction, target, true);
}

async function showDetails(env: ButtonEnv, interaction: ButtonInteraction | StringSelectMenuInteraction, target: ObjectRef, withButtons: boolean): Promise<void> {
  const indicator = await indicatorFor(env.ctx, target);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const settings = await env.ctx.store.settings.getOrDefaults(interaction.guildId);
  const { outcome, embeds } = await detailsFor(env.ctx, indicator, settings.maliciousThreshold, interaction.locale);
  const row = withButtons ? buttonsFor(outcome, interaction.locale) : null;
  await interaction.editReply({ embeds, components: row === null ? [] : [row], allowedMentions: NO_PINGS });
}
