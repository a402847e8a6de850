/** Answering an interaction in whatever state it is in, never pinging anyone. */
import type { Interaction } from 'discord.js';
import { MessageFlags } from 'discord-api-types/v10';
import { NO_PINGS } from '../commands/types.js';

/** An ephemeral line to the presser of a button (reply, or follow-up once acknowledged). */
export async function tellPresser(interaction: Interaction, content: string): Promise<void> {
  if (!interaction.isRepliable()) return;
  const body = { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS } as const;
  if (interaction.deferred || interaction.replied) await interaction.followUp(body);
  else await interaction.reply(body);
}

/**
 * Shows a failure: a deferred command's own (public) reply is replaced, so it never stays on
 * "thinking…" or stale progress; a component's message is left alone and the presser is told.
 */
export async function showFailure(interaction: Interaction, content: string): Promise<void> {
  if (!interaction.isRepliable()) return;
  if (interaction.isCommand() && interaction.deferred) {
    await interaction.editReply({ content, embeds: [], components: [], allowedMentions: NO_PINGS });
    return;
  }
  await tellPresser(interaction, content);
}
