/**
 * What each result message shows: its message id → the object key of each embed, in order (null
 * for an embed about no single object, such as the "…and N more" summary). A vote cast from a
 * multi-item reply's picker finds the voted card on the public message here, never by reading the
 * rendered text back, so changing how a card looks cannot make a vote update the wrong card.
 */
import type { Keyv } from 'keyv';
import { TARGET_TTL_MS } from './targets.js';

/** The object key shown by each embed of a message, in order; null where an embed shows none. */
export type CardKeys = readonly (string | null)[];

/** Discord allows 10 embeds; a stored record longer than that is not ours. */
const MAX_CARDS = 10;

export class CardStore {
  /** Kept as long as the buttons of the objects on it keep working (targets.ts). */
  constructor(private readonly keyv: Keyv, private readonly ttlMs = TARGET_TTL_MS) {}

  /** Records what `messageId` shows now (after it was sent or edited). */
  async record(messageId: string, keys: CardKeys): Promise<void> {
    await this.keyv.set(messageId, [...keys], this.ttlMs);
  }

  /** What `messageId` shows, or null when nothing (well-formed) was recorded for it. */
  async keysOf(messageId: string): Promise<CardKeys | null> {
    const raw: unknown = await this.keyv.get(messageId);
    if (!Array.isArray(raw) || raw.length > MAX_CARDS) return null;
    return raw.every((k) => k === null || (typeof k === 'string' && k.length <= 200)) ? (raw as (string | null)[]) : null;
  }
}
