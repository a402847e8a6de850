/** `/vt-config show`: every setting, the allowlist, and what auto-scan leaves alone. */
import type { GuildSettings } from '../store/settings.js';
import { SETTINGS } from '../store/setting-values.js';
import { COLOURS } from '../discord/render/card.js';
import { codeSpan } from '../discord/render/defang.js';

/** A setting's value as moderators type it. */
export function shown(value: boolean | number | string | null | readonly string[]): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (value === null) return 'none';
  return typeof value === 'object' ? value.join(', ') : String(value);
}

/** Channel and role ids as mentions (they render as names and, with NO_PINGS, never ping). */
export function mentions(ids: readonly string[], kind: 'channel' | 'role'): string {
  if (ids.length === 0) return 'none';
  return ids.map((id) => (kind === 'channel' ? `<#${id}>` : `<@&${id}>`)).join(', ');
}

export function settingsEmbed(settings: GuildSettings) {
  const lines = Object.values(SETTINGS).map((meta) => {
    const value = meta.name === 'log_channel' && settings.logChannel !== null ? `<#${settings.logChannel}>` : shown(settings[meta.field]);
    return `\`${meta.name}\` **${value}** — ${meta.description}`;
  });
  const allow = settings.allowlist.length === 0 ? 'none (the built-in list still applies)' : settings.allowlist.map((d) => codeSpan(d, 80)).join(', ');
  const scope = [
    `**Ignored channels** (not auto-scanned): ${mentions(settings.ignoredChannels, 'channel')}`,
    `**Exempt roles** (their members are not auto-scanned): ${mentions(settings.exemptRoles, 'role')}`,
  ];
  const description = `${lines.join('\n')}\n\n**Allowlisted here**: ${allow}\n${scope.join('\n')}`;
  return { title: 'vt-guard settings', color: COLOURS.progress, description: description.slice(0, 4096) };
}
