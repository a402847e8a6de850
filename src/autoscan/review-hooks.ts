/**
 * What follows an auto-scan answer besides the answer itself (README.md "Review cards"):
 * a consent card for each file VirusTotal has never seen when `upload_files` is `ask`, and
 * `escalation`: a member's N-th flagged post within 24 hours times them out, recorded on the card
 * (and in the audit log) in the server's language.
 */
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import { guildLocale, translator } from '../core/i18n.js';
import { KeyedSerialQueue } from '../core/serial.js';
import { refusal, timeoutMember, auditReason } from '../discord/moderation.js';
import { editReviewCard, postConsentCard } from '../discord/review-post.js';
import type { MessageRef } from '../discord/send.js';
import type { ScanOutcome } from '../scan/outcome.js';
import type { GuildSettings } from '../store/settings.js';
import type { ReviewCard } from '../store/reviews.js';

type Where = MessageRef & { guildId: string };

/** Posts one consent card per unknown file, when the guild asks before uploading and has a log channel. */
export async function askToUpload(ctx: AppContext, client: Client, settings: GuildSettings, message: Where, outcomes: readonly ScanOutcome[]): Promise<void> {
  if (settings.uploadMode !== 'ask' || settings.logChannel === null) return;
  for (const o of outcomes) {
    if (o.status !== 'unknown' || o.reason !== 'not-submitted' || o.indicator.kind !== 'file') continue;
    const { name, size, sha256 } = o.indicator.file;
    await postConsentCard(ctx, client, settings.logChannel, message, { name, size, sha256 });
    ctx.metrics.inc('vtguard_consent_cards_total', 'Files VirusTotal had not seen, offered for upload on a card');
  }
}

/** Counting is per guild and author: two flagged posts answered at once must both count. */
const counting = new KeyedSerialQueue();

/** Counts the flagged post and, on the N-th within 24 hours, times its author out (when allowed). */
export async function escalate(ctx: AppContext, client: Client, settings: GuildSettings, message: Where, cardId: string | null): Promise<void> {
  const authorId = message.author?.id;
  if (settings.escalation === 0 || authorId === undefined) return;
  const count = await counting.run(`${message.guildId}:${authorId}`, () => ctx.store.reviews.countFlaggedPost(message.guildId, authorId, ctx.clock()));
  if (count !== settings.escalation) return;
  const log = ctx.log.child({ module: 'escalation', guildId: message.guildId, messageId: message.id });
  const guild = client.guilds.cache.get(message.guildId);
  // Nobody asked: the card and the audit log speak the server's language.
  const tr = translator(guildLocale(settings.language, guild?.preferredLocale));
  const no = guild === undefined ? tr('review.log.notInCache') : await refusal(guild, 'bot', 'timeout', authorId, tr);
  let line: string;
  if (no === null) {
    const reason = auditReason(tr('review.audit.escalation', { count }), null, cardId ?? message.id, tr);
    await timeoutMember(client, message.guildId, authorId, settings.timeoutMinutes, reason, ctx.clock());
    line = tr('review.log.escalated', { count: settings.timeoutMinutes, posts: count });
    log.info({ count, minutes: settings.timeoutMinutes }, 'escalation: author timed out');
  } else {
    line = tr('review.log.escalationRefused', { posts: count, why: no });
    log.warn({ count, refusal: no }, 'escalation could not time the author out');
  }
  if (cardId === null) return;
  await editReviewCard<ReviewCard>(ctx, client, cardId, (card) => {
    if (no === null) card.done.push('timed-out');
    card.actions.push({ at: ctx.clock(), by: null, what: line });
  }, 'review');
}
