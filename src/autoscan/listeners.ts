/**
 * Which gateway events reach auto-scan: new guild messages from people, and edits or late link
 * embeds (they arrive as MESSAGE_UPDATE with unchanged content) that add something to scan. Needs
 * the Guilds, GuildMessages and MessageContent intents and the Message and Channel partials
 * (src/discord/client.ts sets them). The handlers return at once.
 */
import { Events } from 'discord.js';
import type { Client, Message, PartialMessage } from 'discord.js';
import { hasScannableParts, mayHoldIndicators } from '../scan/message-plan.js';

export type MessageEntry = 'messageCreate' | 'messageUpdate';

/** Calls `onMessage` for every message event worth scanning. */
export function listenForMessages(client: Client, onMessage: (message: Message<true>, entry: MessageEntry) => void): void {
  client.on(Events.MessageCreate, (message) => {
    if (isCandidate(client, message)) onMessage(message, 'messageCreate');
  });
  // The bot keeps no messages (src/discord/client.ts), so an update cannot be compared with what
  // was there before: it is scanned, and the auto-scan's memory of what it answered for the message
  // keeps a pin, a reaction or a link preview silent and cheap.
  client.on(Events.MessageUpdate, (_before, after) => {
    if (isCandidate(client, after)) onMessage(after, 'messageUpdate');
  });
}

/**
 * The cheap gate every message of every server passes before any store read or parsing: a guild
 * message from a person, with something in it that could hold an indicator.
 */
function isCandidate(client: Client, message: Message | PartialMessage): message is Message<true> {
  if (message.partial || !message.inGuild() || message.system) return false;
  // Bots (webhooks included) and the bot itself: scanning them loops on our own replies and
  // answers other bots' link feeds nobody asked about.
  if (message.author.bot || message.author.id === client.user?.id) return false;
  // Decided here, synchronously: a message with nothing to look up starts no work at all.
  return hasScannableParts(message) && mayHoldIndicators(message);
}
