/**
 * The one function every feature records the audit trail through (scan answers, actions, votes,
 * settings changes). It reads the server's `history_days` for pruning, and never fails the work it
 * records: a store error is logged.
 */
import type { AppContext } from '../context.js';
import type { HistoryEntry } from '../store/history.js';

export async function recordHistory(ctx: AppContext, guildId: string | null, entry: Omit<HistoryEntry, 'at'> & { at?: number }): Promise<void> {
  if (guildId === null) return;
  try {
    const { historyDays } = await ctx.store.settings.get(guildId);
    await ctx.store.history.record(guildId, { ...entry, at: entry.at ?? ctx.clock() }, historyDays);
  } catch (err) {
    ctx.log.warn({ module: 'history', guildId, kind: entry.kind, err }, 'could not record the audit trail');
  }
}
