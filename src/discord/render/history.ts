/**
 * How the audit trail looks: one line per entry (when, what, who, where, jump link), ten per page,
 * with Newer / Older buttons whose custom_id carries the page and the filter (ids `vth:…`, see
 * {@link historyButtonId}). Targets are shown defanged inside code spans: the trail holds what
 * members posted, and a moderator must not be one click from it.
 */
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord-api-types/v10';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { HistoryEntry } from '../../store/history.js';
import type { Translate } from '../../core/i18n.js';
import { COLOURS } from './card.js';
import { codeSpan, defangUrl } from './defang.js';

export const PAGE_SIZE = 10;
const PREFIX = 'vth';

/** What a history page shows: an optional member and target, and the page number (0 = newest). */
export interface HistoryView {
  userId?: string;
  target?: string;
  page: number;
}

/** `vth:<page>:<user id or ->:<target>`; null when it would pass Discord's 100 characters. */
export function historyButtonId(view: HistoryView): string | null {
  const id = `${PREFIX}:${String(view.page)}:${view.userId ?? '-'}:${view.target ?? ''}`;
  return id.length <= 100 ? id : null;
}

/** The view a history button carries, or null when the id is not one. */
export function decodeHistoryButton(customId: string): HistoryView | null {
  const match = /^vth:(\d{1,4}):(\d{15,22}|-):(.{0,80})$/s.exec(customId);
  if (match === null) return null;
  const [, page = '0', user = '-', target = ''] = match;
  return { page: Number(page), ...(user === '-' ? {} : { userId: user }), ...(target === '' ? {} : { target }) };
}

export function isHistoryButton(customId: string): boolean {
  return customId.startsWith(`${PREFIX}:`);
}

function line(guildId: string, e: HistoryEntry, tr: Translate): string {
  const parts = [`<t:${String(Math.floor(e.at / 1000))}:f>`, tr(`history.kind.${e.kind}`)];
  if (e.verdict !== undefined) parts.push(`**${e.verdict}**`);
  if (e.text !== undefined) parts.push(codeSpan(defangUrl(e.text), 80));
  if (e.detail !== undefined) parts.push(e.detail.slice(0, 200));
  if (e.authorId !== undefined) parts.push(tr('history.by', { user: `<@${e.authorId}>` }));
  if (e.moderatorId !== undefined) parts.push(tr('history.moderator', { user: `<@${e.moderatorId}>` }));
  if (e.channelId !== undefined && e.messageId !== undefined) parts.push(`[${tr('history.message')}](https://discord.com/channels/${guildId}/${e.channelId}/${e.messageId})`);
  else if (e.channelId !== undefined) parts.push(tr('history.in', { channel: `<#${e.channelId}>` }));
  return parts.join(' · ');
}

/** The embed and buttons of one page of `entries` (all matches, newest first), in `tr`'s language. */
export function historyPage(guildId: string, entries: readonly HistoryEntry[], view: HistoryView, days: number, tr: Translate): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] } {
  const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const page = Math.min(view.page, pages - 1);
  const shown = entries.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const filter = [
    view.userId === undefined ? null : tr('history.aboutUser', { user: `<@${view.userId}>` }),
    view.target === undefined ? null : tr('history.aboutTarget', { target: codeSpan(defangUrl(view.target), 80) }),
  ].filter((f) => f !== null).join(' · ');
  const description = shown.length === 0 ? tr('history.nothing', { days }) : shown.map((e) => line(guildId, e, tr)).join('\n');
  const embed: APIEmbed = {
    title: tr('history.title'), color: COLOURS.progress, description: `${filter === '' ? '' : `${tr('history.filtered', { filter })}\n`}${description}`.slice(0, 4096),
    footer: { text: tr('history.footer', { page: page + 1, pages, entries: entries.length, days }) },
  };
  const button = (label: string, to: number, disabled: boolean): APIButtonComponent => ({
    type: ComponentType.Button, style: ButtonStyle.Secondary, label, custom_id: historyButtonId({ ...view, page: to }) ?? `${PREFIX}:0:-:`, disabled,
  });
  const row: APIActionRowComponent<APIButtonComponent> = {
    type: ComponentType.ActionRow, components: [button(tr('history.newer'), page - 1, page === 0), button(tr('history.older'), page + 1, page >= pages - 1)],
  };
  return { embeds: [embed], components: pages > 1 ? [row] : [] };
}
