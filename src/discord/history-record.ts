/**
 * The one function every feature records the audit trail through (scan answers, actions, votes,
 * settings changes). It reads the server's `history_days` for pruning, and never fails the work it
 * records: a store error is logged.
 */
import type { AppContext } from '../context.js';
import type { HistoryEntry } from '../store/history.js';
import type { Indicator } from '../scan/outcome.js';
import { isSensitiveUrl } from '../scan/sensitive.js';

/**
 * How a scanned thing is written into the trail: a URL carrying a secret (a token, a reset or invite
 * link) only by its scheme and host, as the scanner itself treats it (scan/sensitive.ts): the trail is
 * shown to moderators and quoted in alerts.
 */
export function historyText(indicator: Indicator): string {
  if (indicator.kind === 'file') return indicator.file.sha256;
  if (indicator.kind !== 'url' || !isSensitiveUrl(indicator.value)) return indicator.value;
  const url = URL.parse(indicator.value);
  return url === null ? '(a link carrying a secret)' : `${url.protocol}//${url.host}/…`;
}

export type NewEntry = Omit<HistoryEntry, 'at'> & { at?: number };

/** Records one entry, or several in one write (a scanned message's outcomes). */
export async function recordHistory(ctx: AppContext, guildId: string | null, entries: NewEntry | readonly NewEntry[]): Promise<void> {
  if (guildId === null) return;
  const list: readonly NewEntry[] = isList(entries) ? entries : [entries];
  const now = ctx.clock();
  try {
    const { historyDays } = await ctx.store.settings.get(guildId);
    await ctx.store.history.record(guildId, list.map((e) => ({ ...e, at: e.at ?? now })), historyDays);
  } catch (err) {
    ctx.log.warn({ module: 'history', guildId, kinds: list.map((e) => e.kind), err }, 'could not record the audit trail');
  }
}

function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}
