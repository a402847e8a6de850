/**
 * One answer per scanned message event: only when something is flagged (malicious or suspicious
 * under the guild's threshold), unless `report_clean` asks for every result. The flagged case goes
 * through the guild's action; a clean report is always a plain reply.
 */
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import type { ScanOutcome } from '../scan/outcome.js';
import type { GuildSettings } from '../store/settings.js';
import { applyAction, replyTo, type MessageRef } from '../discord/send.js';
import { buildReply, outcomeWord } from '../discord/render/card.js';
import { talliesFor } from '../discord/tallies.js';

export type Answered = 'flagged' | 'clean' | 'silent';

export function isFlagged(outcome: ScanOutcome, threshold: number): boolean {
  const word = outcomeWord(outcome, threshold);
  return word === 'malicious' || word === 'suspicious';
}

type AnswerSettings = Pick<GuildSettings, 'action' | 'logChannel' | 'reportClean' | 'maliciousThreshold'>;

export async function answer(
  ctx: AppContext,
  client: Client,
  message: MessageRef,
  settings: AnswerSettings,
  outcomes: readonly ScanOutcome[],
  nonce: string,
  maskedTexts?: ReadonlyMap<string, string>,
): Promise<Answered> {
  const threshold = settings.maliciousThreshold;
  const flagged = outcomes.filter((o) => isFlagged(o, threshold));
  // Without report_clean, the answer names only what was flagged: a moderator reads the threat,
  // not a list of harmless links next to it.
  const shown = settings.reportClean ? outcomes : flagged;
  if (shown.length === 0) return 'silent';
  // Moderators may have voted on the same object elsewhere: the tally is per object, not per message.
  const tallies = await talliesFor(ctx, shown);
  const reply = buildReply(shown, { threshold, tallies, maskedTexts });
  if (flagged.length > 0) {
    await applyAction(ctx, client, message, settings, reply, { nonce });
    return 'flagged';
  }
  await replyTo(client, message, reply, { nonce });
  return 'clean';
}
