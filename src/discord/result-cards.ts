/**
 * Keeping the cards store (src/store/cards.ts) in step with what result messages show: written after
 * a result message is sent or edited, read when a vote must find its card on the public message.
 */
import type { Client, Message } from 'discord.js';
import type { AppContext } from '../context.js';
import type { CardKeys } from '../store/cards.js';
import { replyToMessage, type MessageRef, type ResultParts, type SendOptions } from './send.js';

/** A result as `buildResultMessage` gives it: the parts to send and the object key of each embed. */
export type ResultWithCards = ResultParts & { cards?: CardKeys };

/**
 * Records which object each embed of `messageId` shows. A failure only costs the public tally of a
 * later picker vote, never the message itself, so it is logged and not thrown.
 */
export async function recordCards(ctx: AppContext, messageId: string, result: ResultWithCards): Promise<void> {
  if (result.cards === undefined) return;
  await ctx.store.cards.record(messageId, result.cards).catch((err: unknown) =>
    ctx.log.warn({ module: 'cards', messageId, err }, 'could not record the cards of a result message'));
}

/** Replies to `message` with a result and records its cards. */
export async function replyWithResult(ctx: AppContext, client: Client, message: MessageRef, result: ResultWithCards, options: SendOptions = {}): Promise<Message> {
  const sent = await replyToMessage(client, message, result, options);
  await recordCards(ctx, sent.id, result);
  return sent;
}
