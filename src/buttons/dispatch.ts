/** Buttons and the item picker, dispatched through the custom_id codec. */
import type { ButtonInteraction, StringSelectMenuInteraction } from 'discord.js';
import { MessageFlags } from 'discord-api-types/v10';
import { NO_PINGS } from '../commands/types.js';
import { settingsFor } from '../commands/guild-settings.js';
import { decode, decodeTarget } from '../discord/custom-id.js';
import { buttonsFor } from '../discord/render/card.js';
import { UserFacingError } from '../discord/present-error.js';
import { detailsFor } from './details.js';
import type { ButtonEnv } from './env.js';
import { rescan } from './rescan.js';
import { indicatorFor, type Target } from './target.js';
import { vote } from './vote.js';

const STALE = 'This button no longer works; run the command again.';

export async function handleButton(env: ButtonEnv, interaction: ButtonInteraction): Promise<void> {
  const id = decode(interaction.customId);
  if (id === null || id.action === 'pick') throw new UserFacingError(STALE);
  const target: Target = { kind: id.kind, id: id.id };
  switch (id.action) {
    case 'vote-malicious': return vote(env, interaction, target, 'malicious');
    case 'vote-harmless': return vote(env, interaction, target, 'harmless');
    case 'rescan': return rescan(env, interaction, target);
    case 'details': return showDetails(env, interaction, target, false);
  }
}

/** The picker on multi-item replies: that item's details plus its own buttons, ephemerally. */
export async function handlePick(env: ButtonEnv, interaction: StringSelectMenuInteraction): Promise<void> {
  const id = decode(interaction.customId);
  const target = decodeTarget(interaction.values[0] ?? '');
  if (id?.action !== 'pick' || target === null) throw new UserFacingError(STALE);
  await showDetails(env, interaction, target, true);
}

async function showDetails(env: ButtonEnv, interaction: ButtonInteraction | StringSelectMenuInteraction, target: Target, withButtons: boolean): Promise<void> {
  const indicator = indicatorFor(target, interaction.message);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const settings = await settingsFor(env.ctx, interaction.guildId);
  const { outcome, embeds } = await detailsFor(env.ctx, indicator, settings.maliciousThreshold);
  const row = withButtons ? buttonsFor(outcome) : null;
  await interaction.editReply({ embeds, components: row === null ? [] : [row], allowedMentions: NO_PINGS });
}
