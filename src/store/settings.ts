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
import type { Action, SettingName, SettingValue, UploadMode } from './setting-values.js';

export interface GuildSettings {
  autoscanLinks: boolean;
  autoscanAttachments: boolean;
  /** `upload_files`: off, on, or ask a moderator on a card in the log channel. */
  uploadMode: UploadMode;
  /** Upload unknown files without asking (`upload_files on`); derived from `uploadMode` on read. */
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
  // Review cards: the Timeout button's length, Kick/Ban quorum, the DM's appeal line, auto-timeout.
  timeoutMinutes: number;
  quorum: number;
  /** Empty: no appeal line in the DM. */
  appealText: string;
  /** 0 = off; else the flagged post (within 24 hours) on which a member is timed out. */
  escalation: number;
  /** The guild's own registrable domains (the built-in list applies on top). */
  allowlist: string[];
  /** File sha256 hashes never scanned in this guild (from a review card's Allowlist or False positive). */
  allowlistHashes: string[];
}

/** The defaults README.md documents. */
export const DEFAULT_SETTINGS: Readonly<GuildSettings> = Object.freeze({
  autoscanLinks: true,
  autoscanAttachments: true,
  uploadMode: 'ask',
  uploadFiles: false,
  submitUrls: true,
  maliciousThreshold: 3,
  action: 'reply',
  reportClean: false,
  logChannel: null,
  memberRate: 5,
  autoscanReserve: 30,
  timeoutMinutes: 60,
  quorum: 1,
  appealText: '',
  escalation: 0,
  allowlist: [],
  allowlistHashes: [],
});

const SHA256 = /^[0-9a-f]{64}$/;
/** Bounds a stored list: a damaged or hostile record must not make every read huge. */
const MAX_ALLOWED_HASHES = 1000;

/** What `allow` / `unallow` did, for the reply. */
export type AllowResult =
  | { ok: true; domain: string; changed: boolean }
  | { ok: false; error: string };

export class SettingsStore {
  private readonly serial = new KeyedSerialQueue();

  constructor(private readonly keyv: Keyv) {}

  /** The settings that apply to an interaction: its guild's, or the defaults outside a guild. */
  async getOrDefaults(guildId: string | null): Promise<GuildSettings> {
    return guildId === null ? fresh() : this.get(guildId);
  }

  /** The guild's settings, defaults filled in. */
  async get(guildId: string): Promise<GuildSettings> {
    const raw: unknown = await this.keyv.get(guildId);
    const settings = fresh();
    if (typeof raw !== 'object' || raw === null) return settings;
    const stored = raw as Record<string, unknown>;
    for (const meta of Object.values(SETTINGS)) {
      const value = stored[meta.field];
      if (value !== undefined && meta.valid(value)) Object.assign(settings, { [meta.field]: value });
    }
    if (Array.isArray(stored.allowlist)) settings.allowlist = stored.allowlist.filter((d): d is string => typeof d === 'string');
    if (Array.isArray(stored.allowlistHashes)) {
      settings.allowlistHashes = stored.allowlistHashes.filter((h): h is string => typeof h === 'string' && SHA256.test(h)).slice(0, MAX_ALLOWED_HASHES);
    }
    // Before `ask` existed, upload_files was on/off and off was the default: only an explicit `on` is kept.
    if (stored.uploadMode === undefined && stored.uploadFiles === true) settings.uploadMode = 'on';
    settings.uploadFiles = settings.uploadMode === 'on';
    return settings;
  }

  /** Stores one setting (the value from `parseSettingValue`); returns the new settings. */
  set<N extends SettingName>(guildId: string, name: N, value: SettingValue<N>): Promise<GuildSettings> {
    const meta = SETTINGS[name];
    if (!meta.valid(value)) return Promise.reject(new TypeError(`Expected a valid value for ${name}, got ${JSON.stringify(value)}`));
    return this.update(guildId, (settings) => Object.assign(settings, { [meta.field]: value }));
  }

  /** Adds a domain (reduced to its registrable domain) to the guild's allowlist. */
  async allow(guildId: string, domain: string): Promise<AllowResult> {
    const checked = checkAllowDomain(domain);
    if (!checked.ok) return checked;
    let changed = false;
    await this.update(guildId, (settings) => {
      changed = !settings.allowlist.includes(checked.domain);
      if (changed) settings.allowlist = [...settings.allowlist, checked.domain].sort();
    });
    return { ok: true, domain: checked.domain, changed };
  }

  /** Adds a file's sha256 to the guild's allowlist: the file is no longer scanned here. */
  async allowHash(guildId: string, sha256: string): Promise<{ changed: boolean }> {
    const hash = sha256.toLowerCase();
    if (!SHA256.test(hash)) throw new TypeError('Expected a sha256 hash');
    let changed = false;
    await this.update(guildId, (settings) => {
      changed = !settings.allowlistHashes.includes(hash) && settings.allowlistHashes.length < MAX_ALLOWED_HASHES;
      if (changed) settings.allowlistHashes = [...settings.allowlistHashes, hash];
    });
    return { changed };
  }

  /** Removes a domain from the guild's allowlist (the built-in list cannot be changed). */
  async unallow(guildId: string, domain: string): Promise<AllowResult> {
    const checked = checkAllowDomain(domain);
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
      settings.uploadFiles = settings.uploadMode === 'on';
      await this.keyv.set(guildId, settings);
      return settings;
    };
    return this.serial.run(guildId, run);
  }
}

function fresh(): GuildSettings {
  return { ...DEFAULT_SETTINGS, allowlist: [], allowlistHashes: [] };
}
