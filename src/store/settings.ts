/**
 * Per-guild settings (README.md "Server settings"): the defaults and the store, allowlist included.
 * The metadata `/vt-config set` offers and the parsing of what a moderator types are in
 * setting-values.ts. Stored values are re-validated on read, so an old or damaged record falls back
 * to defaults field by field. Where the records live is a {@link SettingsRecords} (settings-records.ts).
 */
import { checkAllowDomain } from './allowlist.js';
import { SETTINGS } from './setting-values.js';
import type { Action, SettingName, SettingValue, UploadMode } from './setting-values.js';
import type { SettingsRecords } from './settings-records.js';
import type { LocaleCode } from '../core/i18n.js';


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
  /** The language of what the bot posts on its own there; null: the guild's Discord `preferred_locale`. */
  language: LocaleCode | null;
  /** Keep the AutoMod rule of confirmed malicious domains in sync (automod_sync). */
  automodSync: boolean;
  /** Days the audit trail is kept (history_days). */
  historyDays: number;
  /** The guild's own registrable domains (the built-in list applies on top). */
  allowlist: string[];
  /** File sha256 hashes never scanned in this guild (from a review card's Allowlist or False positive). */
  allowlistHashes: string[];
  /** Channel ids auto-scan ignores (`/vt-config ignore`). */
  ignoredChannels: string[];
  /** Role ids whose members auto-scan skips (`/vt-config exempt`). */
  exemptRoles: string[];
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
  language: null,
  automodSync: false,
  historyDays: 30,
  allowlist: [],
  allowlistHashes: [],
  ignoredChannels: [],
  exemptRoles: [],
});

const SHA256 = /^[0-9a-f]{64}$/;
/** Bounds a stored list: a damaged or hostile record must not make every read huge. */
const MAX_ALLOWED_HASHES = 1000;

/** What `allow` / `unallow` did, for the reply. */
export type AllowResult =
  | { ok: true; domain: string; changed: boolean }
  | { ok: false; error: string };

/** The guild's lists of channel and role ids. */
export type IdList = 'ignoredChannels' | 'exemptRoles';
const ID_LISTS: readonly IdList[] = ['ignoredChannels', 'exemptRoles'];
const SNOWFLAKE = /^\d{15,22}$/;

function fresh(): GuildSettings {
  return { ...DEFAULT_SETTINGS, allowlist: [], allowlistHashes: [], ignoredChannels: [], exemptRoles: [] };
}

/**
 * How long a guild's settings read is reused. Every message with a link reads them, often twice; a
 * change made here is seen at once (the copy is dropped), one made by another process sharing the
 * store within this time.
 */
const REUSE_MS = 2_000;
/** Guilds whose settings are kept at once. */
const REUSED_GUILDS = 1_000;

function copy(settings: GuildSettings): GuildSettings {
  return { ...settings, allowlist: [...settings.allowlist], allowlistHashes: [...settings.allowlistHashes], ignoredChannels: [...settings.ignoredChannels], exemptRoles: [...settings.exemptRoles] };
}

export class SettingsStore {
  /** Recent reads, oldest first; `writes` counts this process's writes (of any guild). */
  private readonly recent = new Map<string, { settings: GuildSettings; until: number }>();
  private writes = 0;

  constructor(private readonly records: SettingsRecords) {}

  /** The settings that apply to an interaction: its guild's, or the defaults outside a guild. */
  async getOrDefaults(guildId: string | null): Promise<GuildSettings> {
    return guildId === null ? fresh() : this.get(guildId);
  }

  /** The guild's settings, defaults filled in. */
  async get(guildId: string): Promise<GuildSettings> {
    const now = Date.now();
    const kept = this.recent.get(guildId);
    if (kept !== undefined && kept.until > now) return copy(kept.settings);
    const writesBefore = this.writes;
    const settings = await this.read(guildId);
    // A read that overlapped a write of ours may hold the old value: it is used once, not kept.
    if (this.writes === writesBefore) {
      this.recent.delete(guildId);
      this.recent.set(guildId, { settings: copy(settings), until: now + REUSE_MS });
      if (this.recent.size > REUSED_GUILDS) this.recent.delete(this.recent.keys().next().value as string);
    }
    return settings;
  }

  /** Runs a write of `guildId`'s record; reads before and during it are not reused afterwards. */
  private async change<T>(guildId: string, write: () => Promise<T>): Promise<T> {
    const changed = (): void => {
      this.writes += 1;
      this.recent.delete(guildId);
    };
    changed();
    try {
      return await write();
    } finally {
      changed();
    }
  }

  private async read(guildId: string): Promise<GuildSettings> {
    const raw: unknown = await this.records.read(guildId);
    const settings: GuildSettings = fresh();
    if (typeof raw !== 'object' || raw === null) return settings;
    const stored = raw as Record<string, unknown>;
    for (const meta of Object.values(SETTINGS)) {
      const value = stored[meta.field];
      if (value !== undefined && meta.valid(value)) Object.assign(settings, { [meta.field]: value });
    }
    if (Array.isArray(stored.allowlist)) settings.allowlist = stored.allowlist.filter((d): d is string => typeof d === 'string');
    for (const list of ID_LISTS) {
      const ids = stored[list];
      if (Array.isArray(ids)) settings[list] = ids.filter((id): id is string => typeof id === 'string' && SNOWFLAKE.test(id));
    }
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
    return this.change(guildId, () => this.records.setField(guildId, meta.field, value)).then(() => this.get(guildId));
  }

  /** Adds a domain (reduced to its registrable domain) to the guild's allowlist; a refusal is worded in `locale` (English by default). */
  async allow(guildId: string, domain: string, locale?: string): Promise<AllowResult> {
    const checked = checkAllowDomain(domain, locale);
    if (!checked.ok) return checked;
    const changed = await this.change(guildId, () => this.records.addToList(guildId, 'allowlist', checked.domain));
    return { ok: true, domain: checked.domain, changed };
  }

  /** Adds a file's sha256 to the guild's allowlist: the file is no longer scanned here. */
  async allowHash(guildId: string, sha256: string): Promise<{ changed: boolean }> {
    const hash = sha256.toLowerCase();
    if (!SHA256.test(hash)) throw new TypeError('Expected a sha256 hash');
    // The bound is checked before the add: two moderators at once may pass it by one, never by more.
    if ((await this.get(guildId)).allowlistHashes.length >= MAX_ALLOWED_HASHES) return { changed: false };
    return { changed: await this.change(guildId, () => this.records.addToList(guildId, 'allowlistHashes', hash)) };
  }

  /** Removes a domain from the guild's allowlist (the built-in list cannot be changed); a refusal is worded in `locale`. */
  async unallow(guildId: string, domain: string, locale?: string): Promise<AllowResult> {
    const checked = checkAllowDomain(domain, locale);
    const target = checked.ok ? checked.domain : domain.trim().toLowerCase();
    const changed = await this.change(guildId, () => this.records.removeFromList(guildId, 'allowlist', target));
    if (!changed && !checked.ok) return checked;
    return { ok: true, domain: target, changed };
  }

  /**
   * Adds (`on`) or removes a channel or role id in one of the guild's id lists; `changed` is false
   * when it already was (or was not) there.
   */
  async toggleId(guildId: string, list: IdList, id: string, on: boolean): Promise<{ changed: boolean; settings: GuildSettings }> {
    if (!SNOWFLAKE.test(id)) throw new TypeError(`Expected a Discord id, got ${JSON.stringify(id)}`);
    const changed = await this.change(guildId, () => (on ? this.records.addToList(guildId, list, id) : this.records.removeFromList(guildId, list, id)));
    return { changed, settings: await this.get(guildId) };
  }

  /** Forgets everything stored for a guild (the bot left it long enough ago). */
  forget(guildId: string): Promise<void> {
    return this.change(guildId, () => this.records.forget(guildId));
  }
}
