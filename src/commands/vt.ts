/**
 * `/vt url|ip|domain|hash|file|quota`: anyone may check something. Options are validated before
 * deferring (a bad value gets an ephemeral answer and costs no VirusTotal request); a cached result
 * is the public reply itself, and other valid ones defer publicly at once and show progress in place.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType, MessageFlags } from 'discord-api-types/v10';
import type { APIApplicationCommandBasicOption } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import { checkDomain, checkHash, checkIp, checkUrl, type Checked } from './validate.js';
import { replyQuota } from './vt-quota.js';
import { replyHelp } from './vt-help.js';
import { answerFromCache, scanIntoReply } from './scan-reply.js';
import { spendMemberLookup } from '../discord/member-rate.js';
import { runFile } from './vt-file.js';
import { NO_PINGS } from '../discord/send.js';
import type { ChatInputCommand } from '../discord/command.js';

/** Subcommands that take one text option, its name, and its check. */
const TEXT_SUBCOMMANDS = {
  url: { option: 'url', check: checkUrl, description: 'Check a link', hint: 'The link, e.g. https://example.com/login' },
  ip: { option: 'address', check: checkIp, description: 'Check an IP address', hint: 'An IPv4 or IPv6 address, e.g. 8.8.8.8' },
  domain: { option: 'domain', check: checkDomain, description: 'Check a domain', hint: 'A domain name, e.g. example.com' },
  hash: { option: 'hash', check: checkHash, description: 'Check a file by its md5, sha1 or sha256', hint: 'A file hash (md5, sha1 or sha256)' },
} as const satisfies Record<string, { option: string; check: (raw: string, locale?: string) => Checked; description: string; hint: string }>;

type TextSubcommand = keyof typeof TEXT_SUBCOMMANDS;

function textOption(name: string, description: string): APIApplicationCommandBasicOption {
  return { type: ApplicationCommandOptionType.String, name, description, required: true, max_length: 2000 };
}

export const vtCommand: ChatInputCommand = {
  kind: 'chat-input',
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'vt',
    description: 'Check a link, domain, IP address, file hash or file with VirusTotal',
    contexts: [InteractionContextType.Guild],
    options: [
      ...Object.entries(TEXT_SUBCOMMANDS).map(([name, s]) => ({
        type: ApplicationCommandOptionType.Subcommand as const, name, description: s.description, options: [textOption(s.option, s.hint)],
      })),
      {
        type: ApplicationCommandOptionType.Subcommand, name: 'file', description: 'Check a file (uploaded to VirusTotal if it has never seen it)',
        options: [{ type: ApplicationCommandOptionType.Attachment, name: 'file', description: 'The file to check', required: true }],
      },
      // `options: []` spelled out: some Discord-compatible servers (and our double) expect the key.
      { type: ApplicationCommandOptionType.Subcommand, name: 'quota', description: "Show how much of the bot's VirusTotal quota is used", options: [] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'help', description: 'What the bot does here, what it sends to VirusTotal, how to appeal', options: [] },
    ],
  },
  run: runVt,
};

function isTextSubcommand(name: string): name is TextSubcommand {
  return Object.hasOwn(TEXT_SUBCOMMANDS, name);
}

async function runVt(ctx: AppContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const sub = interaction.options.getSubcommand(true);
  if (sub === 'quota') return replyQuota(ctx, interaction);
  if (sub === 'help') return replyHelp(ctx, interaction);
  if (sub === 'file') return runFile(ctx, interaction);
  if (!isTextSubcommand(sub)) throw new Error(`Expected a /vt subcommand, got ${sub}`);
  const spec = TEXT_SUBCOMMANDS[sub];
  const checked = spec.check(interaction.options.getString(spec.option, true), interaction.locale);
  if (!checked.ok) {
    await interaction.reply({ content: checked.error, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    return;
  }
  await spendMemberLookup(ctx, interaction);
  const settings = await ctx.store.settings.getOrDefaults(interaction.guildId);
  const request = {
    indicators: [checked.indicator],
    policy: { submitUrls: settings.submitUrls, uploadFiles: false },
    threshold: settings.maliciousThreshold,
    reservePercent: settings.autoscanReserve,
  };
  // A cached report is one reply; only a look-up that must wait for VirusTotal defers and edits.
  if (await answerFromCache(ctx, interaction, request)) return;
  await interaction.deferReply();
  await scanIntoReply(ctx, interaction, request);
}
