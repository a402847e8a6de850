/**
 * `/vt-config set`: parse, then refuse what the bot could not carry out — a log channel it cannot
 * post in, `action=delete`/`react` or `automod_sync=on` without the permission they need — saying
 * which permission, before anything is stored. A stored change is announced (config-change.ts).
 */
import type { ChatInputCommandInteraction, GuildMember } from 'discord.js';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import { SETTINGS, isSettingName, parseSettingValue, type SettingName, type SettingValue } from '../store/setting-values.js';
import { syncAutomodRule } from '../discord/automod.js';
import { codeSpan } from '../discord/render/defang.js';
import { guildLocale, translator, type Translate } from '../core/i18n.js';
import { announceChange } from './config-change.js';
import { shown } from './config-show.js';

type Outcome = { ok: true; content: string } | { ok: false; error: string };

/** Discord's names for the permissions the bot checks. */
const PERMISSION_NAMES: readonly [bigint, string][] = [
  [P.ViewChannel, 'View Channel'], [P.SendMessages, 'Send Messages'], [P.EmbedLinks, 'Embed Links'],
  [P.ManageMessages, 'Manage Messages'], [P.AddReactions, 'Add Reactions'], [P.ManageGuild, 'Manage Server'],
  [P.ModerateMembers, 'Timeout Members'], [P.KickMembers, 'Kick Members'], [P.BanMembers, 'Ban Members'],
];

/** The names of the permissions in `needed` that `has` lacks. */
export function missingNames(has: { has(bit: bigint): boolean } | null, needed: readonly bigint[]): string[] {
  return PERMISSION_NAMES.filter(([bit]) => needed.includes(bit) && has?.has(bit) !== true).map(([, name]) => name);
}

export async function runSet(ctx: AppContext, interaction: ChatInputCommandInteraction, guildId: string): Promise<Outcome> {
  const tr = translator(interaction.locale);
  const name = interaction.options.getString('setting', true);
  if (!isSettingName(name)) return { ok: false, error: tr('config.noSuchSetting', { name: codeSpan(name, 40) }) };
  const parsed = parseSettingValue(name, interaction.options.getString('value', true), interaction.locale);
  if (!parsed.ok) return parsed;
  const refused = refusal(interaction, name, parsed.value, tr);
  if (refused !== null) return { ok: false, error: refused };
  return store(ctx, interaction, guildId, name, parsed.value);
}

/** Generic in the setting's name, so the value's type stays tied to it. */
async function store<N extends SettingName>(ctx: AppContext, interaction: ChatInputCommandInteraction, guildId: string, name: N, value: SettingValue<N>): Promise<Outcome> {
  const field = SETTINGS[name].field;
  const before = await ctx.store.settings.get(guildId);
  const settings = await ctx.store.settings.set(guildId, name, value);
  const tr = translator(interaction.locale);
  // The log channel hears of the change in the server's language, the moderator in theirs.
  const serverTr = translator(guildLocale(settings.language, interaction.guild?.preferredLocale));
  const show = (v: typeof settings[typeof field], t: Translate): string => (name === 'log_channel' && typeof v === 'string' ? `<#${v}>` : `**${shown(v, t)}**`);
  ctx.log.info({ module: 'config', guildId, userId: interaction.user.id, setting: name }, 'setting changed');
  if (before[field] !== settings[field]) await announceChange(ctx, interaction, settings, { what: name, before: show(before[field], serverTr), after: show(settings[field], serverTr) });
  let note = '';
  // The rule's alert goes to the log channel: a new one is written into the rule too.
  const ruleChanged = (name === 'automod_sync' && before.automodSync !== settings.automodSync) || (name === 'log_channel' && settings.automodSync);
  if (ruleChanged) {
    const result = await syncAutomodRule(ctx, interaction.client, guildId);
    if (name === 'automod_sync') note = result === 'synced' ? ` ${tr('scope.ruleSynced')}` : result === 'removed' ? ` ${tr('scope.ruleRemoved')}` : '';
  }
  return { ok: true, content: `${tr('scope.nowIs', { name, value: show(settings[field], tr) })}${note}` };
}

function refusal(interaction: ChatInputCommandInteraction, name: SettingName, value: unknown, tr: Translate): string | null {
  const me: GuildMember | null = interaction.guild?.members.me ?? null;
  if (name === 'log_channel' && typeof value === 'string') {
    const channel = interaction.guild?.channels.cache.get(value) ?? null;
    if (channel === null) return tr('scope.logNotVisible', { channel: `<#${value}>` });
    if (!channel.isTextBased()) return tr('scope.logNotText', { channel: `<#${value}>` });
    const missing = missingNames(me === null ? null : channel.permissionsFor(me), [P.ViewChannel, P.SendMessages, P.EmbedLinks]);
    if (missing.length > 0) return tr('scope.logCannotPost', { channel: `<#${value}>`, permissions: missing.join(', ') });
  }
  const needs: Partial<Record<string, [bigint, string]>> = {
    'action:delete': [P.ManageMessages, 'scope.needDelete'],
    'action:react': [P.AddReactions, 'scope.needReact'],
    'automod_sync:true': [P.ManageGuild, 'scope.needAutomod'],
  };
  const need = needs[`${name}:${String(value)}`];
  if (need !== undefined) {
    const missing = missingNames(me?.permissions ?? null, [need[0]]);
    if (missing.length > 0) return tr(need[1], { permission: missing.join(', ') });
  }
  return null;
}
