/**
 * What a moderator's vote leaves behind besides the tally: an audit-trail entry; for a malicious
 * vote reaching the quorum, a retro alert and (with `automod_sync`) the domain in the AutoMod rule;
 * for a vote that takes the malicious count below the quorum again, the domain out of the rule.
 */
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import { objectKey, type ModeratorTally, type ObjectRef, type VoteVerdict } from '../core/objects.js';
import { confirmMalicious, unconfirm } from './automod.js';
import { historyText, recordHistory } from './history-record.js';
import { retroAlert } from './retro-alert.js';

export interface VoteFacts {
  guildId: string | null;
  channelId: string;
  /** The card voted on. */
  messageId: string;
  moderatorId: string;
  target: ObjectRef;
  verdict: VoteVerdict;
  tally: ModeratorTally;
  /** Malicious votes that confirm (the server's `quorum`); read from the settings when left out. */
  quorum?: number;
}

export async function rememberVote(ctx: AppContext, client: Client, vote: VoteFacts): Promise<void> {
  const { guildId, target } = vote;
  if (guildId === null) return;
  const key = objectKey(target);
  const url = target.kind === 'url' ? await ctx.store.targets.valueOf(target) : undefined;
  const text = url === undefined ? target.id : historyText({ kind: 'url', value: url });
  await recordHistory(ctx, guildId, { kind: 'vote', channelId: vote.channelId, messageId: vote.messageId, moderatorId: vote.moderatorId, key, text, verdict: vote.verdict });
  const quorum = vote.quorum ?? (await ctx.store.settings.get(guildId)).quorum;
  const host = hostOfVote(target, text);
  if (vote.verdict === 'malicious' && vote.tally.malicious === quorum) {
    await retroAlert(ctx, client, guildId, { key, text, why: 'vote' });
    if (host !== null) await confirmMalicious(ctx, client, guildId, host);
  } else if (vote.verdict === 'harmless' && vote.tally.malicious < quorum && host !== null) {
    await unconfirm(ctx, client, guildId, host);
  }
}

/** The host a domain or URL vote is about; IPs and files have none for a keyword rule. */
function hostOfVote(target: ObjectRef, text: string): string | null {
  if (target.kind === 'domain') return target.id.toLowerCase();
  if (target.kind !== 'url') return null;
  try {
    return new URL(text).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}
