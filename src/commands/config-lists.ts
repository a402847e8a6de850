/**
 * The list subcommands of `/vt-config`: the allowlist (`allow`/`unallow domain:`), the channels
 * auto-scan ignores (`ignore`/`unignore channel:`) and the roles it exempts (`exempt`/`unexempt
 * role:`). Each change is announced; changes of scope also update the AutoMod rule, which exempts
 * exactly what auto-scan does.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import type { AppContext } from '../context.js';
import type { IdList } from '../store/settings.js';
import { syncAutomodRule } from '../discord/automod.js';
import { codeSpan, defang } from '../discord/render/defang.js';
import { announceChange } from './config-change.js';
import { mentions } from './config-show.js';

type Outcome = { ok: true; content: string } | { ok: false; error: string };

export async function runAllow(ctx: AppContext, interaction: ChatInputCommandInteraction, guildId: string, sub: 'allow' | 'unallow'): Promise<Outcome> {
  const domain = interaction.options.getString('domain', true);
  const before = await ctx.store.settings.get(guildId);
  const result = sub === 'allow' ? await ctx.store.settings.allow(guildId, domain) : await ctx.store.settings.unallow(guildId, domain);
  // What was typed is shown only inside a code span (defanged, bidi controls revealed): it cannot
  // render, link, mention or reorder the reply around it.
  if (!result.ok) return { ok: false, error: `${codeSpan(defang(domain), 80)}: ${result.error}` };
  ctx.log.info({ module: 'config', guildId, userId: interaction.user.id, domain: result.domain, sub }, 'allowlist changed');
  if (result.changed) {
    const after = await ctx.store.settings.get(guildId);
    const list = (l: string[]): string => (l.length === 0 ? 'none' : l.map((d) => codeSpan(d, 60)).join(', ')).slice(0, 800);
    await announceChange(ctx, interaction, after, { what: 'allowlist', before: list(before.allowlist), after: list(after.allowlist) });
  }
  const verb = sub === 'allow' ? (result.changed ? 'will no longer be scanned' : 'was already allowlisted') : (result.changed ? 'will be scanned again' : 'was not on this server\'s allowlist');
  return { ok: true, content: `${codeSpan(result.domain, 80)} ${verb}.` };
}

const LISTS = {
  ignore: { list: 'ignoredChannels', on: true }, unignore: { list: 'ignoredChannels', on: false },
  exempt: { list: 'exemptRoles', on: true }, unexempt: { list: 'exemptRoles', on: false },
} as const satisfies Record<string, { list: IdList; on: boolean }>;

export type ScopeSubcommand = keyof typeof LISTS;

export function isScopeSubcommand(sub: string): sub is ScopeSubcommand {
  return Object.hasOwn(LISTS, sub);
}

export async function runScope(ctx: AppContext, interaction: ChatInputCommandInteraction, guildId: string, sub: ScopeSubcommand): Promise<Outcome> {
  const { list, on } = LISTS[sub];
  const kind = list === 'ignoredChannels' ? 'channel' : 'role';
  const id = kind === 'channel' ? interaction.options.getChannel('channel', true).id : interaction.options.getRole('role', true).id;
  if (kind === 'role' && id === guildId) return { ok: false, error: 'Exempting @everyone would switch auto-scan off for everybody; use `/vt-config set autoscan_links off` for that.' };
  const before = await ctx.store.settings.get(guildId);
  const { changed, settings } = await ctx.store.settings.toggleId(guildId, list, id, on);
  const shown = kind === 'channel' ? `<#${id}>` : `<@&${id}>`;
  if (!changed) return { ok: true, content: `${shown} ${on ? 'already was' : 'was not'} ${kind === 'channel' ? 'ignored' : 'exempt'}; nothing changed.` };
  ctx.log.info({ module: 'config', guildId, userId: interaction.user.id, sub, id }, 'auto-scan scope changed');
  const what = kind === 'channel' ? 'ignored channels' : 'exempt roles';
  await announceChange(ctx, interaction, settings, { what, before: mentions(before[list], kind), after: mentions(settings[list], kind) });
  // The AutoMod rule exempts what auto-scan exempts; keep it in step (it does nothing when off).
  if (settings.automodSync) await syncAutomodRule(ctx, interaction.client, guildId);
  const effect = kind === 'channel'
    ? (on ? 'is no longer auto-scanned (commands still work there)' : 'is auto-scanned again')
    : (on ? 'members are no longer auto-scanned (commands still work for them)' : 'members are auto-scanned again');
  return { ok: true, content: `${shown} ${effect}.` };
}
