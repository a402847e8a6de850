/**
 * Suggestions while a moderator types `/vt-config`: settings by readable description, values that
 * fit the chosen setting (text channels by name for `log_channel`), and the server's own allowlist
 * for `unallow`. Only members with Manage Server get suggestions that reveal the configuration.
 */
import type { AutocompleteInteraction } from 'discord.js';
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import { LOCALES, translator, type Translate } from '../core/i18n.js';
import { SETTINGS, isSettingName } from '../store/setting-values.js';

interface Choice { name: string; value: string }
const MAX_CHOICES = 25;
const fit = (text: string): string => (text.length <= 100 ? text : `${text.slice(0, 99)}…`);

export async function configAutocomplete(ctx: AppContext, interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = focused.value.trim().toLowerCase();
  const guildId = interaction.guildId;
  const allowed = guildId !== null && interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true;
  const tr = translator(interaction.locale);
  let choices: Choice[] = [];
  if (allowed && focused.name === 'setting') choices = settingChoices(tr);
  else if (allowed && focused.name === 'value') choices = valueChoices(interaction, interaction.options.getString('setting') ?? '', tr);
  else if (allowed && focused.name === 'domain' && interaction.options.getSubcommand(false) === 'unallow') {
    choices = (await ctx.store.settings.get(guildId)).allowlist.map((d) => ({ name: d, value: d }));
  }
  const matching = choices.filter((c) => typed === '' || c.name.toLowerCase().includes(typed) || c.value.toLowerCase().includes(typed));
  await interaction.respond(matching.slice(0, MAX_CHOICES).map((c) => ({ name: fit(c.name), value: c.value.slice(0, 100) })));
}

function settingChoices(tr: Translate): Choice[] {
  return Object.values(SETTINGS).map((meta) => ({ name: `${tr(`settings.${meta.name}`, { defaultValue: meta.description })} (${meta.name})`, value: meta.name }));
}

function valueChoices(interaction: AutocompleteInteraction, setting: string, tr: Translate): Choice[] {
  if (!isSettingName(setting)) return [];
  const meta = SETTINGS[setting];
  switch (meta.type) {
    case 'boolean': return [{ name: 'on', value: 'on' }, { name: 'off', value: 'off' }];
    case 'choice': return (meta.choices ?? []).map((v) => ({ name: v, value: v }));
    case 'number': {
      const [min, max] = meta.range ?? [1, 70];
      const off = meta.offIsZero === true ? [{ name: 'off', value: 'off' }] : [];
      return [{ name: `${meta.example} (${tr('scope.wholeNumber', { min, max })})`, value: meta.example }, ...off];
    }
    case 'text': return [{ name: 'none', value: 'none' }];
    case 'language': return ['auto', ...LOCALES].map((v) => ({ name: v, value: v }));
    case 'channel': {
      const channels = [...(interaction.guild?.channels.cache.values() ?? [])]
        .filter((c) => c.type === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement)
        .map((c) => ({ name: `#${c.name}`, value: c.id }));
      return [{ name: `none (${tr('scope.noLogChannel')})`, value: 'none' }, ...channels];
    }
  }
}
