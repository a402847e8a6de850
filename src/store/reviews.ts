/**
 * Review cards (README.md "Review cards"): what each card in a log channel is about, keyed by the
 * card's message id, so its buttons work after a restart and never read the rendered card back.
 * Two kinds: a `review` card for a flagged message (targets, evidence, every action taken, who pressed
 * Kick/Ban towards the quorum) and a `consent` card for a file VirusTotal has never seen (upload on
 * a moderator's press). Also each member's recent flagged posts, for `escalation`.
 */
import type { Keyv } from 'keyv';
import type { ObjectKind } from '../core/objects.js';

/** Cards stay actionable for 90 days, like the buttons of result messages (targets.ts). */
export const REVIEW_TTL_MS = 90 * 86_400_000;
const DAY_MS = 86_400_000;
/** Oldest actions are dropped past this: a card shows the latest ones. */
export const MAX_ACTIONS = 25;
const MAX_POSTS_REMEMBERED = 100;

/** One flagged object on a card. */
export interface ReviewTarget {
  kind: ObjectKind;
  id: string;
  /** What Allowlist adds: a registrable domain or a file's sha256; null when nothing can be (an IP). */
  allow: string | null;
  /** How the card names it (already defanged). */
  label: string;
}

/** One thing done from (or to) a card: by a moderator's user id, or `null` for the bot itself. */
export interface ReviewAction {
  at: number;
  by: string | null;
  what: string;
}

/** What the bot did on its own, which False positive can undo. */
export type BotStep = 'reacted' | 'replied' | 'deleted' | 'timed-out';

export interface ReviewCard {
  kind: 'review';
  guildId: string;
  /** Where the card is (the log channel when it was posted). */
  cardChannelId: string;
  /** The flagged message and its author. */
  channelId: string;
  messageId: string;
  authorId: string | null;
  header: string;
  /** Defanged excerpt of the text and the attachments (name, sha256): kept when the message is deleted. */
  evidence: { excerpt: string; files: { name: string; sha256: string }[] };
  targets: ReviewTarget[];
  /** The verdict cards as rendered (counts, permalinks); replaced by Rescan. */
  results: unknown[];
  actions: ReviewAction[];
  /** Moderators who pressed Kick / Ban so far (towards `quorum`). */
  presses: { kick: string[]; ban: string[] };
  /** What has happened to the message and its author: deleted, timed-out, kicked, banned, false-positive. */
  done: string[];
  /** What the bot itself did on the message; `replyId`: the bot's reply, if it replied. */
  bot: { steps: BotStep[]; replyId?: string };
}

export interface ConsentCard {
  kind: 'consent';
  guildId: string;
  cardChannelId: string;
  channelId: string;
  messageId: string;
  authorId: string | null;
  file: { name: string; size: number; sha256: string };
  state: 'waiting' | 'uploading' | 'done';
  /** Lines shown under the notice: who pressed, progress, the result. */
  log: string[];
}

export type StoredCard = ReviewCard | ConsentCard;

export class ReviewStore {
  constructor(private readonly keyv: Keyv, private readonly ttlMs = REVIEW_TTL_MS) {}

  /** The card behind `cardId`, or null when none (well-formed) was recorded. */
  async get(cardId: string): Promise<StoredCard | null> {
    const raw: unknown = await this.keyv.get(`card:${cardId}`);
    return isCard(raw) ? raw : null;
  }

  /** Stores the card (after posting or changing it); actions beyond {@link MAX_ACTIONS} are dropped, oldest first. */
  async put(cardId: string, card: StoredCard): Promise<void> {
    const kept = card.kind === 'review' ? { ...card, actions: card.actions.slice(-MAX_ACTIONS) } : { ...card, log: card.log.slice(-MAX_ACTIONS) };
    await this.keyv.set(`card:${cardId}`, kept, this.ttlMs);
  }

  /**
   * Records one flagged post by `userId` at `now` and returns how many they made in the 24 hours up
   * to it (this one included). Callers serialise per guild; a lost count only delays escalation.
   */
  async countFlaggedPost(guildId: string, userId: string, now: number): Promise<number> {
    const key = `posts:${guildId}:${userId}`;
    const raw: unknown = await this.keyv.get(key);
    const earlier = Array.isArray(raw) ? raw.filter((t): t is number => typeof t === 'number' && t > now - DAY_MS && t <= now) : [];
    const posts = [...earlier, now].slice(-MAX_POSTS_REMEMBERED);
    await this.keyv.set(key, posts, DAY_MS);
    return posts.length;
  }
}

/** Shape check of a stored record: ours, and not damaged. */
function isCard(raw: unknown): raw is StoredCard {
  if (typeof raw !== 'object' || raw === null) return false;
  const card = raw as Partial<ReviewCard> & Partial<ConsentCard>;
  const ids = [card.guildId, card.cardChannelId, card.channelId, card.messageId].every((v) => typeof v === 'string');
  if (!ids) return false;
  if (card.kind === 'consent') return typeof card.file?.sha256 === 'string' && Array.isArray(card.log) && typeof card.state === 'string';
  return card.kind === 'review' && Array.isArray(card.targets) && Array.isArray(card.actions) && Array.isArray(card.results)
    && Array.isArray(card.presses?.kick) && Array.isArray(card.presses.ban) && Array.isArray(card.done) && Array.isArray(card.bot?.steps);
}
