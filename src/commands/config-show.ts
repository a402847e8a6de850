/** `/vt-config show`: every setting, the allowlist, and what auto-scan leaves alone, in the moderator's language. */
import type { Translate } from '../core/i18n.js';
import type { GuildSettings } from '../store/settings.js';
import { SETTINGS } from '../store/setting-values.js';
import { COLOURS } from '../discord/render/card.js';
import { codeSpan } from '../discord/render/defang.js';

/** A setting's value as moderators type it (on/off/none in `tr`'s language). */
export function shown(value: boolean | number | string | null | readonly string[], tr: Translate): string {
  if (typeof value === 'boolean') return tr(value ? 'config.on' : 'config.off');
  if (value === null || value === '') return tr('config.none');
  return typeof value === 'object' ? value.join(', ') : String(value);
}

/** Channel and role ids as mentions (they render as names and, with NO_PINGS, never ping). */
export function mentions(ids: readonly string[], kind: 'channel' | 'role', tr: Translate): string {
  if (ids.length === 0) return tr('config.none');
  return ids.map((id) => (kind === 'channel' ? `<#${id}>` : `<@&${id}>`)).join(', ');
}

export function settingsEmbed(settings: GuildSettings, tr: Translate) {
  const lines = Object.values(SETTINGS).map((meta) => {
    const value = meta.name === 'log_channel' && settings.logChannel !== null ? `<#${settings.logChannel}>` : shown(settings[meta.field], tr);
    return `\`${meta.name}\` **${value}** — ${tr(`settings.${meta.name}`, { defaultValue: meta.description })}`;
  });
  const allow = settings.allowlist.length === 0 ? tr('config.allowNone') : settings.allowlist.map((d) => codeSpan(d, 80)).join(', ');
  const scope = [
    tr('scope.ignoredList', { list: mentions(settings.ignoredChannels, 'channel', tr) }),
    tr('scope.exemptList', { list: mentions(settings.exemptRoles, 'role', tr) }),
  ];
  const description = `${lines.join('\n')}\n\n${tr('config.allowlisted', { list: allow })}\n${scope.join('\n')}`;
  return { title: tr('config.title'), color: COLOURS.progress, description: description.slice(0, 4096) };
}
