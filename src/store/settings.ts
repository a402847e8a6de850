/**
 * Per-guild settings (README.md "Server settings"): the defaults and the store, allowlist included.
 * The metadata `/vt-config set` offers and the parsing of what a moderator types are in
 * setting-values.ts. Stored values are re-validated on read, so an old or damaged record falls back
 * to defaults field by field. Where the records live is a {@link SettingsRecords} (settings-records.ts).
 */
import { checkAllowDomain } from './allowlist.js';
import { SETTINGS } from './setting-values.js';
import type { Action, SettingName, SettingValue } from './setting-values.js';
import type { SettingsRecords } from './settings-records.js';


export interface GuildSettings {
  autoscanLinks: boolean;
  autoscanAttachments: boolean;
  uploadFiles: boolean;
  submitUrls: boolean;
  maliciousThreshold: number;
  action: Action;
  reportClean: boolean;
  logChannel: string | null;
  /** Look-ups a member (without Manage Messages) may start per 10 minutes. */
  memberRate: number;
  /** Percent of the day budget commands and buttons may not spend. */
  autoscanReserve: number;
  /** The guild's own registrable domains (the built-in list applies on top). */
  allowlist: string[];
}

/** The defaults README.md documents. */
export const DEFAULT_SETTINGS: Readonly<GuildSettings> = Object.freeze({
  autoscanLinks: true,
  autoscanAttachments: true,
  uploadFiles: false,
  submitUrls: true,
  maliciousThreshold: 3,
  action: 'reply',
  reportClean: false,
  logChannel: null,
  memberRate: 5,
  autoscanReserve: 30,
  allowlist: [],
});

/** What `allow` / `unallow` did, for the reply. */
export type AllowResult =
  | { ok: true; domain: string; changed: boolean }
  | { ok: false; error: string };

export class SettingsStore {
  constructor(private readonly records: SettingsRecords) {}

  /** The settings that apply to an interaction: its guild's, or the defaults outside a guild. */
  async getOrDefaults(guildId: string | null): Promise<GuildSettings> {
    return guildId === null ? { ...DEFAULT_SETTINGS, allowlist: [] } : this.get(guildId);
  }

  /** The guild's settings, defaults filled in. */
  async get(guildId: string): Promise<GuildSettings> {
    const raw: unknown = await this.records.read(guildId);
    const settings: GuildSettings = { ...DEFAULT_SETTINGS, allowlist: [] };
    if (typeof raw !== 'object' || raw === null) return settings;
    const stored = raw as Record<string, unknown>;
    for (const meta of Object.values(SETTINGS)) {
      const value = stored[meta.field];
      if (value !== undefined && meta.valid(value)) Object.assign(settings, { [meta.field]: value });
    }
    if (Array.isArray(stored.allowlist)) settings.allowlist = stored.allowlist.filter((d): d is string => typeof d === 'string');
    return settings;
  }

  /** Stores one setting (the value from `parseSettingValue`); returns the new settings. */
  set<N extends SettingName>(guildId: string, name: N, value: SettingValue<N>): Promise<GuildSettings> {
    const meta = SETTINGS[name];
    if (!meta.valid(value)) return Promise.reject(new TypeError(`Expected a valid value for ${name}, got ${JSON.stringify(value)}`));
    return this.records.setField(guildId, meta.field, value).then(() => this.get(guildId));
  }

  /** Adds a domain (reduced to its registrable domain) to the guild's allowlist. */
  async allow(guildId: string, domain: string): Promise<AllowResult> {
    const checked = checkAllowDomain(domain);
    if (!checked.ok) return checked;
    const changed = await this.records.addDomain(guildId, checked.domain);
    return { ok: true, domain: checked.domain, changed };
  }

  /** Removes a domain from the guild's allowlist (the built-in list cannot be changed). */
  async unallow(guildId: string, domain: string): Promise<AllowResult> {
    const checked = checkAllowDomain(domain);
    const target = checked.ok ? checked.domain : domain.trim().toLowerCase();
    const changed = await this.records.removeDomain(guildId, target);
    if (!changed && !checked.ok) return checked;
    return { ok: true, domain: target, changed };
  }
}
