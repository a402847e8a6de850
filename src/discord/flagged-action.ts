/**
 * What the bot does about a flagged message, per the guild's `action` setting: nothing, a ⚠️
 * reaction, a reply, or deleting it (the result then goes to the log channel, saying whose message
 * it was and where). With a log channel, each flagged message also gets one review card there
 * (review-post.ts) when the caller passes what the scan found; otherwise the result is copied.
 * Auto-scan ends here, and so does a moderator's malicious vote on an auto-scanned message.
 *
 * A missing permission must not make the alert vanish: when Discord refuses an action (403), the bot
 * falls back to the next thing it can do — a reply, then the log channel — and says once in the log
 * channel which permission is missing (missing-permission.ts).
 */
import { Routes } from 'discord.js';
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import type { GuildSettings } from '../store/settings.js';
import type { BotStep, ReviewCard } from '../store/reviews.js';
import { translator, type Translate } from '../core/i18n.js';
import { isMissingPermission, reportMissingPermission } from './missing-permission.js';
import { recordCards, replyWithResult, type ResultWithCards } from './result-cards.js';
import { evidenceOf, postReviewCard, type Evidence, type ReviewInput } from './review-post.js';
import { sendToChannel, type MessageRef, type SendOptions } from './send.js';

const WARNING = '⚠️';

type Step = 'delete' | 'react' | 'reply';
/** What to try, in order, for each action: the configured one first, then a reply. */
const STEPS: Readonly<Record<GuildSettings['action'], readonly Step[]>> = Object.freeze({
  none: [], react: ['react', 'reply'], reply: ['reply'], delete: ['delete', 'reply'],
});
/** The permission a refused step lacked, as Discord's settings name it (keys of locales/en.json). */
const NEEDS: Readonly<Record<Step, string>> = Object.freeze({
  delete: 'actions.needsDelete', react: 'actions.needsReact', reply: 'actions.needsReply',
});
const INSTEAD: Readonly<Record<Step | 'log', string>> = Object.freeze({
  delete: 'actions.insteadDelete', react: 'actions.insteadReact', reply: 'actions.insteadReply', log: 'actions.insteadLog',
});

const DONE: Readonly<Record<Step, BotStep>> = Object.freeze({ delete: 'deleted', react: 'reacted', reply: 'replied' });

/** What a log-channel post about the message needs: the review card's facts, or a plain copy. */
interface Report {
  result: ResultWithCards;
  review: (ReviewInput & { evidence: Evidence; bot: ReviewCard['bot'] }) | undefined;
}

/** The review card posted for the message, if one was (escalation records on it). */
export interface FlaggedAnswer {
  cardId: string | null;
}

export async function actOnFlagged(
  ctx: AppContext,
  client: Client,
  message: MessageRef,
  settings: Pick<GuildSettings, 'action' | 'logChannel'> & { locale?: string },
  result: ResultWithCards,
  options: SendOptions = {},
  review?: ReviewInput,
): Promise<FlaggedAnswer> {
  const log = ctx.log.child({ module: 'actions', messageId: message.id, action: settings.action });
  const tr = translator(settings.locale);
  const logChannel = settings.logChannel ?? null;
  const missing: string[] = [];
  let taken: Step | 'log' | null = null;
  const bot: ReviewCard['bot'] = { steps: [] };
  // Read before acting: a delete takes the text away, and the card keeps it as evidence.
  const evidence = review !== undefined && logChannel !== null ? await evidenceOf(client, message, review.outcomes) : undefined;
  const report: Report = { result, review: review !== undefined && evidence !== undefined ? { ...review, evidence, bot } : undefined };
  let cardId: string | null = null;
  for (const step of STEPS[settings.action]) {
    try {
      const done = await runStep(ctx, client, step, message, logChannel, report, options, tr);
      if (!bot.steps.includes(DONE[step])) bot.steps.push(DONE[step]);
      if (step === 'reply' && done !== null) bot.replyId = done;
      if (step === 'delete') cardId = done;
      taken = step;
      break;
    } catch (error) {
      if (!isMissingPermission(error)) throw error;
      missing.push(tr(NEEDS[step]));
    }
  }
  if (taken === null && settings.action !== 'none') {
    // Nothing worked in the channel itself: the log channel is the last place the alert can go.
    if (logChannel === null) throw new Error(`Missing ${missing.join(' and ')} in channel ${message.channelId} and no log channel: the flagged result could not be posted anywhere`);
    cardId = await postReport(ctx, client, logChannel, note(tr, tr('actions.flaggedNoAction'), message), message, report, options);
    taken = 'log';
  }
  if (missing.length > 0) {
    await reportMissingPermission(ctx, client, { message, logChannel, action: settings.action, missing, instead: tr(INSTEAD[taken ?? 'log']), locale: settings.locale });
  }
  if (taken === 'delete') log.info('flagged message deleted');
  // The delete report and the log fallback already are the log channel's card.
  if (logChannel === null || taken === 'delete' || taken === 'log') return { cardId };
  // The card is for moderators: a missing log channel must not undo the action taken.
  cardId = await postReport(ctx, client, logChannel, note(tr, tr('actions.flagged'), message), message, report, {})
    .catch((error: unknown) => {
      log.warn({ err: error, logChannel }, 'could not post to the log channel');
      return null;
    });
  return { cardId };
}

/** Posts the review card (or, without the scan's facts, a copy of the result); returns the card's id when it is one. */
async function postReport(
  ctx: AppContext, client: Client, channelId: string, header: string, message: MessageRef, report: Report, options: SendOptions,
): Promise<string | null> {
  if (report.review !== undefined) {
    const { sent } = await postReviewCard(ctx, client, channelId, header, message, report.review, options);
    return sent.id;
  }
  const posted = await sendToChannel(client, channelId, { content: header, ...report.result }, options);
  await recordCards(ctx, posted.id, report.result);
  return null;
}

/** Runs one step; a reply gives the reply's id, a delete the review card's id (when its report is one). */
async function runStep(
  ctx: AppContext, client: Client, step: Step, message: MessageRef, logChannel: string | null, report: Report, options: SendOptions, tr: Translate,
): Promise<string | null> {
  switch (step) {
    case 'react':
      await client.rest.put(Routes.channelMessageOwnReaction(message.channelId, message.id, encodeURIComponent(WARNING)));
      return null;
    case 'reply':
      return (await replyWithResult(ctx, client, message, report.result, options)).id;
    case 'delete':
      return deleteAndReport(ctx, client, message, logChannel, report, options, tr);
  }
}

async function deleteAndReport(
  ctx: AppContext, client: Client, message: MessageRef, logChannel: string | null, report: Report, options: SendOptions, tr: Translate,
): Promise<string | null> {
  const { result } = report;
  await client.rest.delete(Routes.channelMessage(message.channelId, message.id), { reason: tr('actions.auditReason') })
    .catch((error: unknown) => {
      // Already gone (its author or another moderator was faster): the report still goes out.
      if (!isUnknownMessage(error)) throw error;
    });
  // Without a log channel, the channel itself is told, so the deletion is never silent.
  const body = { content: note(tr, tr('actions.deleted'), message, false), ...result };
  if (report.review !== undefined && logChannel !== null) {
    report.review.bot.steps.push('deleted');
    const card = await postReport(ctx, client, logChannel, body.content, message, report, options).catch((error: unknown) => {
      if (isMissingPermission(error)) return undefined;
      throw new Error('The flagged message was deleted but the report could not be posted', { cause: error });
    });
    if (card !== undefined) return card;
  }
  const posted = await sendToChannel(client, logChannel ?? message.channelId, body, options).catch(async (error: unknown) => {
    // The message is gone: a refused report must not read as a refused delete (which would reply to
    // a deleted message), so the channel itself is told, or the failure says what happened.
    if (logChannel !== null && isMissingPermission(error)) return sendToChannel(client, message.channelId, body, options);
    throw new Error('The flagged message was deleted but the report could not be posted', { cause: error });
  });
  await recordCards(ctx, posted.id, result);
  return null;
}

/**
 * Who posted it and where; mentions render as names but never ping (allowedMentions is empty). The
 * message id is always in the text: moderators can find it, and a resumed job can tell it was done.
 */
function note(tr: Translate, what: string, message: MessageRef, withLink = true): string {
  const author = message.author ? tr('actions.by', { author: `<@${message.author.id}>` }) : '';
  const where = withLink && message.guildId
    ? `https://discord.com/channels/${message.guildId}/${message.channelId}/${message.id}`
    : tr('actions.messageId', { id: message.id });
  return tr('actions.note', { what, author, channel: `<#${message.channelId}>`, where });
}

function isUnknownMessage(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 10008;
}
