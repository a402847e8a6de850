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
  const name = interaction.options.getString('setting', true);
  if (!isSettingName(name)) return { ok: false, error: `There is no setting ${codeSpan(name, 40)}; pick one from the list, e.g. \`action\`.` };
  const parsed = parseSettingValue(name, interaction.options.getString('value', true));
  if (!parsed.ok) return parsed;
  const refused = refusal(interaction, name, parsed.value);
  if (refused !== null) return { ok: false, error: refused };
  return store(ctx, interaction, guildId, name, parsed.value);
}

/** Generic in the setting's name, so the value's type stays tied to it. */
async function store<N extends SettingName>(ctx: AppContext, interaction: ChatInputCommandInteraction, guildId: string, name: N, value: SettingValue<N>): Promise<Outcome> {
  const field = SETTINGS[name].field;
  const before = await ctx.store.settings.get(guildId);
  const settings = await ctx.store.settings.set(guildId, name, value);
  const show = (v: typeof settings[typeof field]): string => (name === 'log_channel' && typeof v === 'string' ? `<#${v}>` : `**${shown(v)}**`);
  ctx.log.info({ module: 'config', guildId, userId: interaction.user.id, setting: name }, 'setting changed');
  if (before[field] !== settings[field]) await announceChange(ctx, interaction, settings, { what: name, before: show(before[field]), after: show(settings[field]) });
  let note = '';
  // The rule's alert goes to the log channel: a new one is written into the rule too.
  const ruleChanged = (name === 'automod_sync' && before.automodSync !== settings.automodSync) || (name === 'log_channel' && settings.automodSync);
  if (ruleChanged) {
    const result = await syncAutomodRule(ctx, interaction.client, guildId);
    if (name === 'automod_sync') note = result === 'synced' ? ' The AutoMod rule now lists the domains confirmed here.' : result === 'removed' ? ' The AutoMod rule was removed.' : '';
  }
  return { ok: true, content: `\`${name}\` is now ${show(settings[field])}.${note}` };
}

function refusal(interaction: ChatInputCommandInteraction, name: SettingName, value: unknown): string | null {
  const me: GuildMember | null = interaction.guild?.members.me ?? null;
  if (name === 'log_channel' && typeof value === 'string') {
    const channel = interaction.guild?.channels.cache.get(value) ?? null;
    if (channel === null) return `<#${value}> is not a channel of this server I can see; mention a text channel, e.g. \`#mod-log\`, or give its id.`;
    if (!channel.isTextBased()) return `<#${value}> is not a text channel; pick one the bot can post in.`;
    const missing = missingNames(me === null ? null : channel.permissionsFor(me), [P.ViewChannel, P.SendMessages, P.EmbedLinks]);
    if (missing.length > 0) return `I cannot post in <#${value}>: I lack ${missing.join(', ')} there. Grant them to the vt-guard role in that channel, or pick another one.`;
  }
  const needs: Partial<Record<string, [bigint, string]>> = {
    'action:delete': [P.ManageMessages, 'delete flagged messages'],
    'action:react': [P.AddReactions, 'react to flagged messages'],
    'automod_sync:true': [P.ManageGuild, 'manage the AutoMod rule'],
  };
  const need = needs[`${name}:${String(value)}`];
  if (need !== undefined) {
    const missing = missingNames(me?.permissions ?? null, [need[0]]);
    if (missing.length > 0) return `I lack the **${missing.join(', ')}** permission, so I cannot ${need[1]}. Grant it to the vt-guard role first.`;
  }
  return null;
}
