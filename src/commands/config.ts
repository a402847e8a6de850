/**
 * `/vt-config show|set|allow|unallow`: a top-level command of its own because
 * `default_member_permissions` applies to a whole command; Discord hides it from members without
 * Manage Server, and the handler checks again (permission overrides can re-expose it).
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import type { GuildSettings } from '../store/settings.js';
import { SETTINGS, isSettingName, parseSettingValue, type SettingName } from '../store/setting-values.js';
import { COLOURS } from '../discord/render/card.js';
import { codeSpan, defang } from '../discord/render/defang.js';
import { NO_PINGS } from '../discord/send.js';
import type { ChatInputCommand } from '../discord/command.js';
import { translator, type Translate } from '../core/i18n.js';

const domainOption = (description: string) => ({
  type: ApplicationCommandOptionType.String as const, name: 'domain', description, required: true, max_length: 253,
});

export const configCommand: ChatInputCommand = {
  kind: 'chat-input',
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'vt-config',
    description: "Change how vt-guard works on this server",
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [InteractionContextType.Guild],
    options: [
      { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: "Show this server's settings and allowlist", options: [] },
      {
        type: ApplicationCommandOptionType.Subcommand, name: 'set', description: 'Change a setting',
        options: [
          {
            type: ApplicationCommandOptionType.String, name: 'setting', description: 'The setting to change', required: true,
            choices: Object.values(SETTINGS).map((s) => ({ name: s.name, value: s.name })),
          },
          { type: ApplicationCommandOptionType.String, name: 'value', description: 'The new value, e.g. on, off, 3, reply, #mod-log, none', required: true, max_length: 100 },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'allow', description: 'Never scan a domain (saves quota)', options: [domainOption('The domain, e.g. example.com')] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'unallow', description: "Remove a domain from this server's allowlist", options: [domainOption('The domain, e.g. example.com')] },
    ],
  },
  run: runConfig,
};

function ephemeral(interaction: ChatInputCommandInteraction, content: string): Promise<unknown> {
  return interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

function shown(value: boolean | number | string | null | readonly string[], tr: Translate): string {
  if (typeof value === 'boolean') return tr(value ? 'config.on' : 'config.off');
  if (value === null) return tr('config.none');
  return typeof value === 'object' ? value.join(', ') : String(value);
}

function settingsEmbed(settings: GuildSettings, tr: Translate) {
  const lines = Object.values(SETTINGS).map((meta) => {
    const value = meta.name === 'log_channel' && settings.logChannel !== null ? `<#${settings.logChannel}>` : shown(settings[meta.field], tr);
    return `\`${meta.name}\` **${value}** — ${tr(`settings.${meta.name}`, { defaultValue: meta.description })}`;
  });
  const allow = settings.allowlist.length === 0 ? tr('config.allowNone') : settings.allowlist.map((d) => codeSpan(d, 80)).join(', ');
  return { title: tr('config.title'), color: COLOURS.progress, description: `${lines.join('\n')}\n\n${tr('config.allowlisted', { list: allow })}` };
}

/** Generic in the setting's name, so the parsed value's type stays tied to it. */
async function setSetting<N extends SettingName>(ctx: AppContext, guildId: string, name: N, raw: string, locale: string): Promise<{ ok: true; settings: GuildSettings } | { ok: false; error: string }> {
  const parsed = parseSettingValue(name, raw, locale);
  if (!parsed.ok) return parsed;
  return { ok: true, settings: await ctx.store.settings.set(guildId, name, parsed.value) };
}

async function runConfig(ctx: AppContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const guildId = interaction.guildId;
  const tr = translator(interaction.locale);
  if (guildId === null) return void (await ephemeral(interaction, tr('config.guildOnly')));
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) !== true) {
    return void (await ephemeral(interaction, tr('config.notAllowed')));
  }
  const sub = interaction.options.getSubcommand(true);
  const log = ctx.log.child({ module: 'config', guildId, userId: interaction.user.id });
  if (sub === 'show') {
    const settings = await ctx.store.settings.get(guildId);
    await interaction.reply({ embeds: [settingsEmbed(settings, tr)], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  } else if (sub === 'set') {
    const name = interaction.options.getString('setting', true);
    if (!isSettingName(name)) return void (await ephemeral(interaction, tr('config.noSuchSetting', { name: codeSpan(name, 40) })));
    const changed = await setSetting(ctx, guildId, name, interaction.options.getString('value', true), interaction.locale);
    if (!changed.ok) return void (await ephemeral(interaction, changed.error));
    const { settings } = changed;
    log.info({ setting: name }, 'setting changed');
    await ephemeral(interaction, tr('config.nowIs', { name, value: shown(settings[SETTINGS[name].field], tr) }));
  } else {
    const domain = interaction.options.getString('domain', true);
    const result = sub === 'allow' ? await ctx.store.settings.allow(guildId, domain, interaction.locale) : await ctx.store.settings.unallow(guildId, domain, interaction.locale);
    // What was typed is shown only inside a code span (defanged, bidi controls revealed): it cannot
    // render, link, mention or reorder the reply around it.
    if (!result.ok) return void (await ephemeral(interaction, `${codeSpan(defang(domain), 80)}: ${result.error}`));
    log.info({ domain: result.domain, sub }, 'allowlist changed');
    const key = sub === 'allow' ? (result.changed ? 'config.allowed' : 'config.alreadyAllowed') : (result.changed ? 'config.unallowed' : 'config.notAllowlisted');
    await ephemeral(interaction, tr(key, { domain: codeSpan(result.domain, 80) }));
  }
}
