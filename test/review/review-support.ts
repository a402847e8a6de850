/** What review-card tests share: a harness whose bot may moderate, finding a card, pressing its buttons. */
import type { APIMessage } from 'discord.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { messageOf } from '../support/command-harness.js';
import { MODERATING_BOT_PERMISSIONS, type MemberFixture } from '../support/discord-double.js';
import type { InteractionHandle } from '../support/discord-double/user-interactions.js';
import { encodeCard, type CardAction } from '../../src/discord/custom-id.js';

export function startModeratingHarness(): Promise<Harness> {
  return startHarness({ discord: { botRolePermissions: MODERATING_BOT_PERMISSIONS } });
}

/** The card in the log channel about `messageId` (its content names the message), once it is there. */
export async function cardFor(h: Harness, messageId: string, title = 'Review · flagged message'): Promise<APIMessage> {
  return eventually(() => h.discord.messages(h.discord.channels.log).find((m) =>
    (m.content.includes(messageId) || JSON.stringify(m.embeds).includes(messageId)) && m.embeds[0]?.title === title));
}

/** The card as it is now in the double. */
export function current(h: Harness, card: APIMessage): APIMessage {
  const now = h.discord.message(card.id)?.message;
  if (now === undefined) throw new Error(`Expected card ${card.id} to exist`);
  return now;
}

export function press(h: Harness, member: MemberFixture, card: APIMessage, action: CardAction): Promise<InteractionHandle> {
  return h.discord.pressButton({ member, message: card.id, customId: encodeCard(action) });
}

/** The ephemeral line the presser got. */
export async function told(h: Harness, handle: InteractionHandle, timeoutMs = 8000): Promise<string> {
  // Ephemeral (64): the card's own edit through the press carries content too, without the flag.
  const call = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && messageOf(c.body).flags === 64, timeoutMs);
  return messageOf(call.body).content ?? '';
}

export async function eventually<T>(read: () => T | undefined, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('Expected the condition within the deadline');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every field and the description of the card's first embed, as one text. */
export function cardText(card: APIMessage): string {
  const [review] = card.embeds;
  return [review?.description ?? '', ...(review?.fields ?? []).map((f) => `${f.name}: ${f.value}`)].join('\n');
}
