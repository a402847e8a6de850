/**
 * `/vt help` as members read it, in their language: what the bot does in this server (from its
 * settings), what is sent to VirusTotal, and how to appeal. Pure: the command hands in the settings.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import type { Translate } from '../../core/i18n.js';
import type { GuildSettings } from '../../store/settings.js';
import { COLOURS } from './card.js';

export function helpEmbed(settings: GuildSettings, tr: Translate): APIEmbed {
  const scanned = [settings.autoscanLinks ? tr('help.links') : null, settings.autoscanAttachments ? tr('help.attachments') : null].filter((x) => x !== null);
  const what = scanned.length === 0
    ? tr('help.off')
    : `${tr('help.checks', { what: scanned.join(tr('help.and')), threshold: settings.maliciousThreshold, action: tr(`help.action.${settings.action}`) })}${settings.reportClean ? ` ${tr('help.clean')}` : ''}`;
  const scope = [
    settings.ignoredChannels.length > 0 ? tr('help.ignored', { channels: settings.ignoredChannels.map((id) => `<#${id}>`).join(', ') }) : null,
    settings.exemptRoles.length > 0 ? tr('help.exempt', { roles: settings.exemptRoles.map((id) => `<@&${id}>`).join(', ') }) : null,
    settings.allowlist.length > 0 ? tr('help.allowlist', { domains: settings.allowlist.length }) : tr('help.builtin'),
    settings.automodSync ? tr('help.automod') : null,
  ].filter((x) => x !== null);
  const upload = settings.uploadMode === 'on' ? 'help.sentFileUpload' : settings.uploadMode === 'ask' ? 'help.sentFileAsk' : 'help.sentFileHash';
  const sent = [tr('help.sentLinks'), tr(settings.submitUrls ? 'help.sentSubmit' : 'help.sentNoSubmit'), tr(upload), tr('help.sentNever')].map((line) => `• ${line}`);
  const appeal = settings.appealText === '' ? tr('help.appealDefault') : settings.appealText;
  return {
    title: tr('help.title'), color: COLOURS.progress,
    fields: [
      { name: tr('help.whatItDoes'), value: [what, ...scope].join('\n').slice(0, 1024) },
      { name: tr('help.whatIsSent'), value: sent.join('\n').slice(0, 1024) },
      { name: tr('help.howToAppeal'), value: appeal.slice(0, 1024) },
      { name: tr('help.memory'), value: tr('help.kept', { days: settings.historyDays }) },
    ],
  };
}
