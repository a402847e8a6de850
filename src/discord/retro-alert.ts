/**
 * Retro alerts: something this server saw as clean or unknown is now found malicious (a rescan, a
 * vote, a refreshed report on a later auto-scan). Moderators get one card in the log channel with
 * jump links to the earlier messages that held it, within `history_days`, so they can clean up.
 * One alert per object and server until it is seen clean again.
 */
import type { Client } from 'discord.js';
import type { APIEmbed } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import type { HistoryEntry } from '../store/history.js';
import { recordHistory } from './history-record.js';
import { COLOURS } from './render/card.js';
import { codeSpan, defangUrl } from './render/defang.js';
import { sendToChannel } from './send.js';

const MAX_LINKS = 15;

/** What was found malicious: its object key and how people wrote it; `why` names the trigger. */
export interface Finding {
  key: string;
  text: string;
  why: 'rescan' | 'vote' | 'refreshed report';
}

/** Posts the alert when earlier sightings exist and none was alerted since; returns how many messages it links. */
export async function retroAlert(ctx: AppContext, client: Client, guildId: string, finding: Finding): Promise<number> {
  const settings = await ctx.store.settings.get(guildId);
  const about = await ctx.store.history.recent(guildId, { days: settings.historyDays, now: ctx.clock() });
  const mine = about.filter((e) => e.key === finding.key);
  const lastAlert = mine.find((e) => e.kind === 'alert')?.at ?? -1;
  const earlier = mine.filter((e) => e.kind === 'scan' && (e.verdict === 'clean' || e.verdict === 'unknown') && e.messageId !== undefined && e.at > lastAlert);
  if (earlier.length === 0 || settings.logChannel === null) return 0;
  const log = ctx.log.child({ module: 'retro-alert', guildId });
  await sendToChannel(client, settings.logChannel, { embeds: [alertEmbed(guildId, finding, earlier, settings.historyDays)] })
    .catch((err: unknown) => log.warn({ err, logChannel: settings.logChannel }, 'could not post a retro alert'));
  await recordHistory(ctx, guildId, { kind: 'alert', key: finding.key, text: finding.text, verdict: 'malicious', detail: `${String(earlier.length)} earlier messages (${finding.why})` });
  log.info({ messages: earlier.length, why: finding.why }, 'retro alert posted');
  return earlier.length;
}

function alertEmbed(guildId: string, finding: Finding, earlier: readonly HistoryEntry[], days: number): APIEmbed {
  const links = earlier.slice(0, MAX_LINKS).map((e) => {
    const who = e.authorId === undefined ? '' : ` by <@${e.authorId}>`;
    return `• <t:${String(Math.floor(e.at / 1000))}:R>${who} in <#${e.channelId ?? guildId}>: [jump](https://discord.com/channels/${guildId}/${e.channelId ?? ''}/${e.messageId ?? ''}) (then **${e.verdict ?? '?'}**)`;
  });
  const more = earlier.length > MAX_LINKS ? `\n…and ${String(earlier.length - MAX_LINKS)} more (\`/vt-config history target:\`)` : '';
  return {
    title: '🚨 Now found malicious', color: COLOURS.malicious,
    description: `${codeSpan(defangUrl(finding.text), 200)} was seen as clean or unknown here, and is now malicious (${finding.why}). Messages that held it in the last ${String(days)} days:\n${links.join('\n')}${more}`.slice(0, 4096),
  };
}
