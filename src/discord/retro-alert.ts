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
import { guildLocale, translator, type Translate } from '../core/i18n.js';

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
  // Nobody asked: the alert speaks the server's language.
  const tr = translator(guildLocale(settings.language, client.guilds.cache.get(guildId)?.preferredLocale));
  await sendToChannel(client, settings.logChannel, { embeds: [alertEmbed(guildId, finding, earlier, settings.historyDays, tr)] })
    .catch((err: unknown) => log.warn({ err, logChannel: settings.logChannel }, 'could not post a retro alert'));
  await recordHistory(ctx, guildId, { kind: 'alert', key: finding.key, text: finding.text, verdict: 'malicious', detail: `${String(earlier.length)} earlier messages (${finding.why})` });
  log.info({ messages: earlier.length, why: finding.why }, 'retro alert posted');
  return earlier.length;
}

function alertEmbed(guildId: string, finding: Finding, earlier: readonly HistoryEntry[], days: number, tr: Translate): APIEmbed {
  const links = earlier.slice(0, MAX_LINKS).map((e) => {
    const vars = {
      when: `<t:${String(Math.floor(e.at / 1000))}:R>`, channel: `<#${e.channelId ?? guildId}>`, verdict: tr(`retro.verdict.${e.verdict === 'clean' ? 'clean' : 'unknown'}`),
      link: `https://discord.com/channels/${guildId}/${e.channelId ?? ''}/${e.messageId ?? ''}`,
    };
    return `• ${e.authorId === undefined ? tr('retro.line', vars) : tr('retro.lineBy', { ...vars, user: `<@${e.authorId}>` })}`;
  });
  const more = earlier.length > MAX_LINKS ? `\n${tr('retro.more', { more: earlier.length - MAX_LINKS })}` : '';
  const intro = tr('retro.intro', { target: codeSpan(defangUrl(finding.text), 200), why: tr(`retro.why.${finding.why === 'refreshed report' ? 'refreshed' : finding.why}`), days });
  return {
    title: tr('retro.title'), color: COLOURS.malicious,
    description: `${intro}\n${links.join('\n')}${more}`.slice(0, 4096),
  };
}
