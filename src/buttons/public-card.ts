/**
 * A vote cast from a multi-item reply's picker happens on an ephemeral view; the public reply it was
 * picked from must show the new tally too. Discord names that message in the view's interaction
 * metadata (`interacted_message_id`); which of its embeds is the voted object comes from the cards
 * store (src/store/cards.ts), never from the rendered text.
 */
import type { ButtonInteraction, Message } from 'discord.js';
import { clampEmbeds } from '../discord/render/defang.js';
import { withTally } from '../discord/render/card.js';
import { NO_PINGS } from '../discord/send.js';
import type { ButtonEnv } from './env.js';

/** The public message an ephemeral view was picked from, when it is the bot's own and still there. */
export async function pickedFrom(interaction: ButtonInteraction): Promise<Message | null> {
  const publicId = interaction.message.interactionMetadata?.interactedMessageId;
  if (publicId === undefined || publicId === null || publicId === interaction.message.id) return null;
  const channel = interaction.channel ?? await interaction.client.channels.fetch(interaction.channelId);
  if (channel?.isTextBased() !== true) return null;
  const message = await channel.messages.fetch(publicId).catch(() => null);
  return message?.author.id === interaction.client.user.id ? message : null;
}

/**
 * Rewrites the tally of every card about `key` on `message` (serialised per message with every other
 * card edit), reading the tally inside the queue so two votes never leave the older count showing.
 */
export async function updatePublicTally(env: ButtonEnv, message: Message, guildId: string | null, key: string): Promise<void> {
  await env.cards.run(message.id, async () => {
    const keys = await env.ctx.store.cards.keysOf(message.id);
    if (keys === null || !keys.includes(key)) return;
    const tally = await env.ctx.store.votes.tally(guildId, key);
    const embeds = message.embeds.map((embed, i) => (keys[i] === key ? withTally(embed.toJSON(), tally) : embed.toJSON()));
    await message.edit({ embeds: clampEmbeds(embeds), allowedMentions: NO_PINGS });
  });
}
