/**
 * `/vt help` as members read it: what the bot does in this server (from its settings), what is
 * sent to VirusTotal, and how to appeal. Pure: the command hands in the settings.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import type { GuildSettings } from '../../store/settings.js';
import { COLOURS } from './card.js';

const ACTION_TEXT: Readonly<Record<GuildSettings['action'], string>> = Object.freeze({
  none: 'records it without answering in the channel',
  react: 'reacts with ⚠️ to the message',
  reply: 'replies to the message with the verdict',
  delete: 'deletes the message and reports it to the moderators',
});

export function helpEmbed(settings: GuildSettings, appealText: string | null = null): APIEmbed {
  const scanned = [settings.autoscanLinks ? 'links, domains and IP addresses' : null, settings.autoscanAttachments ? 'attachments (by their hash)' : null].filter((x) => x !== null);
  const what = scanned.length === 0
    ? 'Auto-scan is **off** here; anyone can still check something with `/vt url`, `/vt domain`, `/vt ip`, `/vt hash` or `/vt file`.'
    : `It checks the ${scanned.join(' and ')} in new messages with VirusTotal. When ${String(settings.maliciousThreshold)} or more engines call something malicious, it ${ACTION_TEXT[settings.action]}.${settings.reportClean ? ' Clean results are answered too.' : ''}`;
  const scope = [
    settings.ignoredChannels.length > 0 ? `Not auto-scanned here: ${settings.ignoredChannels.map((id) => `<#${id}>`).join(', ')}.` : null,
    settings.exemptRoles.length > 0 ? `Members with ${settings.exemptRoles.map((id) => `<@&${id}>`).join(', ')} are not auto-scanned.` : null,
    settings.allowlist.length > 0 ? `${String(settings.allowlist.length)} domain(s) this server trusts are never checked, besides well-known sites.` : 'Well-known sites (YouTube, GitHub…) are never checked.',
    settings.automodSync ? "Links moderators confirmed malicious are blocked by Discord's AutoMod before anyone sees them." : null,
  ].filter((x) => x !== null);
  const sent = [
    '• Links, domains and IP addresses are looked up by their text; a link carrying a secret (a token, a reset link) is looked up by its host only.',
    settings.submitUrls ? '• A link VirusTotal has never seen is submitted for analysis, and becomes visible to VirusTotal\'s customers.' : '• A link VirusTotal has never seen is not submitted; only its host is checked.',
    settings.uploadFiles ? '• A file VirusTotal has never seen is uploaded, and becomes visible to VirusTotal\'s customers.' : '• Files are only looked up by their hash; they are never uploaded by auto-scan.',
    '• Message text, names and who posted are never sent.',
  ];
  const appeal = appealText ?? 'If the bot got something of yours wrong, ask a moderator: they can vote it harmless, allowlist a domain, or restore what was removed.';
  return {
    title: 'vt-guard in this server', color: COLOURS.progress,
    fields: [
      { name: 'What it does', value: [what, ...scope].join('\n').slice(0, 1024) },
      { name: 'What is sent to VirusTotal', value: sent.join('\n').slice(0, 1024) },
      { name: 'How to appeal', value: appeal.slice(0, 1024) },
      { name: 'Memory', value: `Scan results, actions and votes are kept for ${String(settings.historyDays)} days for the moderators, then deleted.` },
    ],
  };
}
