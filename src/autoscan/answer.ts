/**
 * One answer per scanned message event: only when something is flagged (malicious or suspicious
 * under the guild's threshold), unless `report_clean` asks for every result. The flagged case goes
 * through the guild's action; a clean report is always a plain reply.
 */
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import { objectKey } from '../core/objects.js';
import { isFlagged, outcomeTarget, outcomeWord, type ScanOutcome } from '../scan/outcome.js';
import { historyText, recordHistory, type NewEntry } from '../discord/history-record.js';
import { retroAlert } from '../discord/retro-alert.js';
import type { GuildSettings } from '../store/settings.js';
import { actOnFlagged } from '../discord/flagged-action.js';
import { buildResultMessage } from '../discord/render/result-message.js';
import { replyWithResult } from '../discord/result-cards.js';
import type { MessageRef } from '../discord/send.js';
import { talliesFor } from '../discord/tallies.js';
import { guildLocale } from '../core/i18n.js';

export type Answered = 'flagged' | 'clean' | 'silent';

export type AnswerSettings = Pick<GuildSettings, 'action' | 'logChannel' | 'reportClean' | 'maliciousThreshold'> & Partial<Pick<GuildSettings, 'language'>>;

export interface ScannedMessage {
  message: MessageRef;
  outcomes: readonly ScanOutcome[];
  /** Sent as Discord's message nonce, so a resend after a crash is dropped (see jobs.ts). */
  nonce: string;
  maskedTexts?: ReadonlyMap<string, string> | undefined;
}

/**
 * `onFlagged` runs once a flagged message was answered, with its review card's id (null without
 * one): the place to attach what follows a flagged message (escalation, history).
 */
export async function answerScannedMessage(
  ctx: AppContext, client: Client, settings: AnswerSettings, scanned: ScannedMessage, onFlagged?: (cardId: string | null) => Promise<void>,
): Promise<Answered> {
  const answered = await answer(ctx, client, settings, scanned, onFlagged);
  await remember(ctx, client, settings, scanned, answered);
  return answered;
}

async function answer(
  ctx: AppContext, client: Client, settings: AnswerSettings, scanned: ScannedMessage, onFlagged?: (cardId: string | null) => Promise<void>,
): Promise<Answered> {
  const threshold = settings.maliciousThreshold;
  const flagged = scanned.outcomes.filter((o) => isFlagged(o, threshold));
  // Without report_clean, the answer names only what was flagged: a moderator reads the threat,
  // not a list of harmless links next to it.
  const shown = settings.reportClean ? scanned.outcomes : flagged;
  if (shown.length === 0) return 'silent';
  const tallies = await talliesFor(ctx, scanned.message.guildId, shown);
  // Nobody asked: the bot speaks the server's language (its `language` setting, else Discord's preferred locale).
  const guildId = scanned.message.guildId;
  const locale = guildLocale(settings.language, guildId === null ? null : client.guilds.cache.get(guildId)?.preferredLocale);
  const result = buildResultMessage(shown, { threshold, tallies, maskedTexts: scanned.maskedTexts, locale });
  if (flagged.length > 0) {
    const review = { outcomes: scanned.outcomes, threshold, embeds: result.embeds };
    const { cardId } = await actOnFlagged(ctx, client, scanned.message, { ...settings, locale }, result, { nonce: scanned.nonce }, review);
    await onFlagged?.(cardId);
    return 'flagged';
  }
  await replyWithResult(ctx, client, scanned.message, result, { nonce: scanned.nonce });
  return 'clean';
}

/**
 * The audit trail gets every outcome (clean ones too: a retro alert needs to know where a link was
 * seen before it turned malicious) and the action taken; a malicious outcome seen clean earlier in
 * this server raises a retro alert first.
 */
async function remember(ctx: AppContext, client: Client, settings: AnswerSettings, scanned: ScannedMessage, answered: Answered): Promise<void> {
  const { message } = scanned;
  if (message.guildId === null) return;
  const where = { channelId: message.channelId, messageId: message.id, ...(message.author ? { authorId: message.author.id } : {}) };
  const entries: NewEntry[] = [];
  for (const outcome of scanned.outcomes) {
    const target = outcomeTarget(outcome);
    const verdict = outcomeWord(outcome, settings.maliciousThreshold);
    const text = historyText(outcome.indicator);
    const key = target === null ? undefined : objectKey(target);
    if (verdict === 'malicious' && key !== undefined) await retroAlert(ctx, client, message.guildId, { key, text, why: 'refreshed report' });
    entries.push({ kind: 'scan', ...where, ...(key === undefined ? {} : { key }), text, verdict });
  }
  if (answered === 'flagged') entries.push({ kind: 'action', ...where, verdict: settings.action });
  await recordHistory(ctx, message.guildId, entries);
}
