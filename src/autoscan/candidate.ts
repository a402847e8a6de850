/**
 * The cheap gate every message of every server passes before any store read or parsing: a guild
 * message from a person, with something in it that could hold an indicator.
 */
import type { Client, Message, PartialMessage } from 'discord.js';
import { mayHaveIndicators } from '../scan/message-collect.js';

export function isCandidate(client: Client, message: Message | PartialMessage): message is Message<true> {
  if (message.partial || !message.inGuild() || message.system) return false;
  // Bots (webhooks included) and the bot itself: scanning them loops on our own replies and
  // answers other bots' link feeds nobody asked about.
  if (message.author.bot || message.author.id === client.user?.id) return false;
  return mayHaveIndicators(message);
}
