/**
 * Everything the bot sends goes through here, and nothing it sends pings anyone: posting to a
 * channel, replying to a member's message, and answering an interaction in whatever state it is in.
 */
import type { Client, Interaction, Message, MessageCreateOptions } from 'discord.js';
import { MessageFlags } from 'discord-api-types/v10';

/** Every reply, edit and follow-up: nobody is ever pinged. */
export const NO_PINGS = Object.freeze({ parse: [] as [], repliedUser: false });

/** The message acted on. A discord.js Message fits; so do ids kept in a stored job. */
export interface MessageRef {
  id: string;
  channelId: string;
  guildId: string | null;
  author?: { id: string } | null;
}

/** The cards and buttons of a result (what `buildResultMessage` gives). */
export type ResultParts = Pick<MessageCreateOptions, 'embeds' | 'components'>;

export interface SendOptions {
  /** Discord drops a second message with the same nonce sent within minutes (`enforce_nonce`). */
  nonce?: string;
}

/** Posts to a channel by id. */
export async function sendToChannel(client: Client, channelId: string, body: MessageCreateOptions, options: SendOptions = {}): Promise<Message> {
  const channel = await client.channels.fetch(channelId);
  if (!channel?.isSendable()) throw new Error(`Expected a text channel to send to, got ${channel ? String(channel.type) : 'nothing'} for ${channelId}`);
  return channel.send({ ...body, ...nonce(options), allowedMentions: NO_PINGS });
}

/** A Discord reply to the message; posted as is when the message is gone. */
export async function replyToMessage(client: Client, message: MessageRef, result: ResultParts, options: SendOptions = {}): Promise<Message> {
  return sendToChannel(client, message.channelId, { ...result, reply: { messageReference: message.id, failIfNotExists: false } }, options);
}

/** An ephemeral line to whoever used an interaction (reply, or follow-up once acknowledged). */
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

function nonce(options: SendOptions): Pick<MessageCreateOptions, 'nonce' | 'enforceNonce'> {
  return options.nonce ? { nonce: options.nonce, enforceNonce: true } : {};
}
