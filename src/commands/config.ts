/**
 * `/vt-config`: a top-level command of its own because `default_member_permissions` applies to a
 * whole command; Discord hides it from members without Manage Server, and the handler checks again
 * (permission overrides can re-expose it). Each group of subcommands lives in its own file.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { ApplicationCommandOptionType, ApplicationCommandType, ChannelType, InteractionContextType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import type { ApplicationCommandOptionAllowedChannelType } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import { NO_PINGS } from '../discord/send.js';
import type { ChatInputCommand } from '../discord/command.js';
import { translator } from '../core/i18n.js';
import { configAutocomplete } from './config-autocomplete.js';
import { runHistory, TARGET_MAX } from './config-history.js';
import { isScopeSubcommand, runAllow, runScope } from './config-lists.js';
import { runSet } from './config-set.js';
import { runSetup } from './config-setup.js';
import { settingsEmbed } from './config-show.js';

const Sub = ApplicationCommandOptionType.Subcommand;
const domainOption = (description: string, autocomplete = false) => ({
  type: ApplicationCommandOptionType.String as const, name: 'domain', description, required: true, max_length: 253, autocomplete,
});
const channelOption = (description: string) => ({
  type: ApplicationCommandOptionType.Channel as const, name: 'channel', description, required: true,
  channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum, ChannelType.GuildVoice] as ApplicationCommandOptionAllowedChannelType[],
});
const roleOption = (description: string) => ({ type: ApplicationCommandOptionType.Role as const, name: 'role', description, required: true });

export const configCommand: ChatInputCommand = {
  kind: 'chat-input',
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'vt-config',
    description: "Change how vt-guard works on this server",
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [InteractionContextType.Guild],
    options: [
      { type: Sub, name: 'show', description: "Show this server's settings, allowlist, ignored channels and exempt roles", options: [] },
      {
        type: Sub, name: 'set', description: 'Change a setting',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'setting', description: 'The setting to change', required: true, autocomplete: true, max_length: 40 },
          { type: ApplicationCommandOptionType.String, name: 'value', description: 'The new value, e.g. on, off, 3, reply, #mod-log, none', required: true, max_length: 100, autocomplete: true },
        ],
      },
      { type: Sub, name: 'allow', description: 'Never scan a domain (saves quota)', options: [domainOption('The domain, e.g. example.com')] },
      { type: Sub, name: 'unallow', description: "Remove a domain from this server's allowlist", options: [domainOption('The domain, e.g. example.com', true)] },
      { type: Sub, name: 'ignore', description: 'Do not auto-scan a channel (commands still work there)', options: [channelOption('The channel to leave alone')] },
      { type: Sub, name: 'unignore', description: 'Auto-scan a channel again', options: [channelOption('The channel to scan again')] },
      { type: Sub, name: 'exempt', description: 'Do not auto-scan members with a role (commands still work)', options: [roleOption('The role to exempt')] },
      { type: Sub, name: 'unexempt', description: 'Auto-scan members with a role again', options: [roleOption('The role to scan again')] },
      { type: Sub, name: 'setup', description: 'Check permissions, intents, the log channel and the key, and list what to fix', options: [] },
      {
        type: Sub, name: 'history', description: 'The latest scans, actions, votes and changes here (only you see it)',
        options: [
          { type: ApplicationCommandOptionType.User, name: 'user', description: 'Only entries by or about this member', required: false },
          { type: ApplicationCommandOptionType.String, name: 'target', description: 'Only entries about this domain, URL, IP or hash', required: false, max_length: TARGET_MAX },
        ],
      },
    ],
  },
  run: runConfig,
  autocomplete: configAutocomplete,
};

function ephemeral(interaction: ChatInputCommandInteraction, content: string): Promise<unknown> {
  return interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

async function runConfig(ctx: AppContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const guildId = interaction.guildId;
  const tr = translator(interaction.locale);
  if (guildId === null) return void (await ephemeral(interaction, tr('config.guildOnly')));
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) !== true) {
    return void (await ephemeral(interaction, tr('config.notAllowed')));
  }
  const sub = interaction.options.getSubcommand(true);
  if (sub === 'show') {
    const settings = await ctx.store.settings.get(guildId);
    return void (await interaction.reply({ embeds: [settingsEmbed(settings, tr)], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS }));
  }
  if (sub === 'history') return runHistory(ctx, interaction, guildId);
  if (sub === 'setup') return runSetup(ctx, interaction, guildId);
  const outcome = sub === 'set' ? await runSet(ctx, interaction, guildId)
    : sub === 'allow' || sub === 'unallow' ? await runAllow(ctx, interaction, guildId, sub)
      : isScopeSubcommand(sub) ? await runScope(ctx, interaction, guildId, sub)
        : { ok: false as const, error: tr('scope.gone') };
  await ephemeral(interaction, outcome.ok ? outcome.content : outcome.error);
}
