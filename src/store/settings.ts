/**
 * Per-guild settings (README.md "Server settings"): the defaults and the store, allowlist included.
 * The metadata `/vt-config set` offers and the parsing of what a moderator types are in
 * setting-values.ts. Stored values are re-validated on read, so an old or damaged record falls back
 * to defaults field by field.
 */
import type { Keyv } from 'keyv';
import { KeyedSerialQueue } from '../core/serial.js';
import { checkAllowDomain } from './allowlist.js';
import { SETTINGS } from './setting-values.js';
import type { Action, SettingName, SettingValue } from './setting-values.js';
import type { LocaleCode } from '../core/i18n.js';


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
  /** The language of what the bot posts on its own there; null: the guild's Discord `preferred_locale`. */
  language: LocaleCode | null;
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
  language: null,
  allowlist: [],
});

/** What `allow` / `unallow` did, for the reply. */
export type AllowResult =
  | { ok: true; domain: string; changed: boolean }
  | { ok: false; error: string };

export class SettingsStore {
  private readonly serial = new KeyedSerialQueue();

  constructor(private readonly keyv: Keyv) {}

  /** The settings that apply to an interaction: its guild's, or the defaults outside a guild. */
  async getOrDefaults(guildId: string | null): Promise<GuildSettings> {
    return guildId === null ? { ...DEFAULT_SETTINGS, allowlist: [] } : this.get(guildId);
  }

  /** The guild's settings, defaults filled in. */
  async get(guildId: string): Promise<GuildSettings> {
    const raw: unknown = await this.keyv.get(guildId);
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
    return this.update(guildId, (settings) => Object.assign(settings, { [meta.field]: value }));
  }

  /** Adds a domain (reduced to its registrable domain) to the guild's allowlist; a refusal is worded in `locale` (English by default). */
  async allow(guildId: string, domain: string, locale?: string): Promise<AllowResult> {
    const checked = checkAllowDomain(domain, locale);
    if (!checked.ok) return checked;
    let changed = false;
    await this.update(guildId, (settings) => {
      changed = !settings.allowlist.includes(checked.domain);
      if (changed) settings.allowlist = [...settings.allowlist, checked.domain].sort();
    });
    return { ok: true, domain: checked.domain, changed };
  }

  /** Removes a domain from the guild's allowlist (the built-in list cannot be changed); a refusal is worded in `locale`. */
  async unallow(guildId: string, domain: string, locale?: string): Promise<AllowResult> {
    const checked = checkAllowDomain(domain, locale);
    const target = checked.ok ? checked.domain : domain.trim().toLowerCase();
    let changed = false;
    await this.update(guildId, (settings) => {
      changed = settings.allowlist.includes(target);
      settings.allowlist = settings.allowlist.filter((d) => d !== target);
    });
    if (!changed && !checked.ok) return checked;
    return { ok: true, domain: target, changed };
  }

  /** Read-modify-write, serialised per guild so two moderators' changes don't overwrite each other. */
  private update(guildId: string, change: (settings: GuildSettings) => void): Promise<GuildSettings> {
    const run = async (): Promise<GuildSettings> => {
      const settings = await this.get(guildId);
      change(settings);
      await this.keyv.set(guildId, settings);
      return settings;
    };
    return this.serial.run(guildId, run);
  }
}
