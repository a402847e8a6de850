/**
 * The list subcommands of `/vt-config`: the allowlist (`allow`/`unallow domain:`), the channels
 * auto-scan ignores (`ignore`/`unignore channel:`) and the roles it exempts (`exempt`/`unexempt
 * role:`). Each change is announced; changes of scope also update the AutoMod rule, which exempts
 * exactly what auto-scan does.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import type { AppContext } from '../context.js';
import { guildLocale, translator, type Translate } from '../core/i18n.js';
import type { GuildSettings, IdList } from '../store/settings.js';
import { syncAutomodRule } from '../discord/automod.js';
import { codeSpan, defang } from '../discord/render/defang.js';
import { announceChange } from './config-change.js';
import { mentions } from './config-show.js';

type Outcome = { ok: true; content: string } | { ok: false; error: string };

export async function runAllow(ctx: AppContext, interaction: ChatInputCommandInteraction, guildId: string, sub: 'allow' | 'unallow'): Promise<Outcome> {
  const tr = translator(interaction.locale);
  const domain = interaction.options.getString('domain', true);
  const before = await ctx.store.settings.get(guildId);
  const locale = interaction.locale;
  const result = sub === 'allow' ? await ctx.store.settings.allow(guildId, domain, locale) : await ctx.store.settings.unallow(guildId, domain, locale);
  // What was typed is shown only inside a code span (defanged, bidi controls revealed): it cannot
  // render, link, mention or reorder the reply around it.
  if (!result.ok) return { ok: false, error: `${codeSpan(defang(domain), 80)}: ${result.error}` };
  ctx.log.info({ module: 'config', guildId, userId: interaction.user.id, domain: result.domain, sub }, 'allowlist changed');
  if (result.changed) {
    const after = await ctx.store.settings.get(guildId);
    const serverTr = serverTranslator(interaction, after);
    const list = (l: string[]): string => (l.length === 0 ? serverTr('config.none') : l.map((d) => codeSpan(d, 60)).join(', ')).slice(0, 800);
    await announceChange(ctx, interaction, after, { what: serverTr('scope.whatAllowlist'), before: list(before.allowlist), after: list(after.allowlist) });
  }
  const key = sub === 'allow' ? (result.changed ? 'config.allowed' : 'config.alreadyAllowed') : (result.changed ? 'config.unallowed' : 'config.notAllowlisted');
  return { ok: true, content: tr(key, { domain: codeSpan(result.domain, 80) }) };
}

/** The log channel speaks the server's language (its `language` setting, else Discord's preferred locale). */
function serverTranslator(interaction: ChatInputCommandInteraction, settings: GuildSettings): Translate {
  return translator(guildLocale(settings.language, interaction.guild?.preferredLocale));
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
  const tr = translator(interaction.locale);
  const { list, on } = LISTS[sub];
  const kind = list === 'ignoredChannels' ? 'channel' : 'role';
  const id = kind === 'channel' ? interaction.options.getChannel('channel', true).id : interaction.options.getRole('role', true).id;
  if (kind === 'role' && id === guildId) return { ok: false, error: tr('scope.everyone') };
  const before = await ctx.store.settings.get(guildId);
  const { changed, settings } = await ctx.store.settings.toggleId(guildId, list, id, on);
  const vars = kind === 'channel' ? { channel: `<#${id}>` } : { role: `<@&${id}>` };
  if (!changed) return { ok: true, content: tr(`scope.unchanged.${sub}`, vars) };
  ctx.log.info({ module: 'config', guildId, userId: interaction.user.id, sub, id }, 'auto-scan scope changed');
  const serverTr = serverTranslator(interaction, settings);
  const what = serverTr(kind === 'channel' ? 'scope.whatIgnored' : 'scope.whatExempt');
  await announceChange(ctx, interaction, settings, { what, before: mentions(before[list], kind, serverTr), after: mentions(settings[list], kind, serverTr) });
  // The AutoMod rule exempts what auto-scan exempts; keep it in step (it does nothing when off).
  if (settings.automodSync) await syncAutomodRule(ctx, interaction.client, guildId);
  return { ok: true, content: tr(`scope.done.${sub}`, vars) };
}
