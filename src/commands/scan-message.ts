/**
 * Message context menu "Scan with VirusTotal": everything in that message (text, embed links,
 * forwarded messages, attachments) in one reply of at most 10 embeds. Allowlisted hosts are skipped like in auto-scan;
 * the guild's submit/upload settings apply, since the files and links are someone else's.
 */
import type { MessageContextMenuCommandInteraction } from 'discord.js';
import { ApplicationCommandType, InteractionContextType, MessageFlags } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import { extractIndicators } from '../scan/extract.js';
import { AttachmentRefusedError, spoolAttachment } from '../scan/attachments.js';
import type { Indicator, SpooledFile } from '../scan/outcome.js';
import { isAllowlisted } from '../store/settings.js';
import { safeText } from '../discord/render/defang.js';
import { collect } from '../scan/message-collect.js';
import { settingsFor } from './guild-settings.js';
import { scanIntoReply } from './scan-reply.js';
import { NO_PINGS, type MessageCommand } from './types.js';

/** More than this in one message is spam, and would burn the day's quota in one click. */
const MAX_ITEMS = 20;

export const scanMessageCommand: MessageCommand = {
  kind: 'message',
  data: { type: ApplicationCommandType.Message, name: 'Scan with VirusTotal', contexts: [InteractionContextType.Guild] },
  run: runScanMessage,
};

interface Found {
  indicators: Indicator[];
  maskedTexts: Map<string, string>;
}

/**
 * The indicators in texts (message content, embed links, forwarded snapshots — gathered by the
 * auto-scan's `collect`, so both read a message the same way), minus allowlisted hosts and
 * domains already covered by one of the URLs (a second request for the same answer).
 */
export function textIndicators(texts: readonly string[], allowlist: readonly string[]): Found {
  const found = texts.map(extractIndicators);
  const all = <K extends 'urls' | 'domains' | 'ips' | 'hashes'>(key: K): string[] => [...new Set(found.flatMap((f) => f[key]))];
  const hostOf = (url: string): string => { try { return new URL(url).hostname; } catch { return ''; } };
  const urls = all('urls');
  const urlHosts = new Set(urls.map(hostOf));
  const indicators: Indicator[] = [
    ...urls.filter((u) => !isAllowlisted(hostOf(u), allowlist)).map((value) => ({ kind: 'url', value }) as const),
    ...all('domains').filter((d) => !urlHosts.has(d) && !isAllowlisted(d, allowlist)).map((value) => ({ kind: 'domain', value }) as const),
    ...all('ips').map((value) => ({ kind: 'ip', value }) as const),
    ...all('hashes').map((value) => ({ kind: 'hash', value }) as const),
  ];
  return { indicators, maskedTexts: new Map(found.flatMap((f) => f.maskedMismatches).map((m) => [m.target, m.text])) };
}

async function runScanMessage(ctx: AppContext, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  const settings = await settingsFor(ctx, interaction.guildId);
  const { texts, attachments } = collect(interaction.targetMessage);
  const found = textIndicators(texts, settings.allowlist);
  if (found.indicators.length === 0 && attachments.length === 0) {
    await interaction.reply({
      content: 'Nothing to check in that message: no links, domains, IP addresses, file hashes or files (allowlisted sites are skipped).',
      flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS,
    });
    return;
  }
  await interaction.deferReply();
  const notes: string[] = [];
  const room = Math.max(0, MAX_ITEMS - attachments.length);
  if (found.indicators.length > room) notes.push(`Only the first ${MAX_ITEMS} items were checked.`);
  const files: SpooledFile[] = [];
  for (const a of attachments.slice(0, MAX_ITEMS)) {
    try {
      files.push(await spoolAttachment(a.url, { allowedHosts: ctx.config.attachmentHosts, maxBytes: ctx.config.maxFileBytes, name: a.name, declaredSize: a.size }));
    } catch (err) {
      if (!(err instanceof AttachmentRefusedError)) throw err;
      notes.push(`Not checked: ${safeText(a.name, 100)}: ${safeText(err.message, 200)}`);
    }
  }
  try {
    await scanIntoReply(ctx, interaction, {
      indicators: [...files.map((file) => ({ kind: 'file', value: file.sha256, file }) as const), ...found.indicators.slice(0, room)],
      policy: { submitUrls: settings.submitUrls, uploadFiles: settings.uploadFiles },
      threshold: settings.maliciousThreshold,
      maskedTexts: found.maskedTexts,
      notes,
    });
  } finally {
    await Promise.all(files.map((f) => f.discard()));
  }
}
