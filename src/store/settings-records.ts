/**
 * Where per-guild settings are kept, as the operations SettingsStore needs: read the raw record,
 * set one field, add or remove one allowlisted domain. Each operation is atomic for its guild; the
 * keyv form below serialises a read-modify-write per guild in memory (one process), the Redis form
 * (records-redis.ts) uses a hash and a set so processes sharing Redis never overwrite each other.
 */
import type { Keyv } from 'keyv';
import { KeyedSerialQueue } from '../core/serial.js';

/** The lists a guild's settings hold beside their fields (each a set of strings). */
export type SettingsList = 'allowlist' | 'allowlistHashes' | 'ignoredChannels' | 'exemptRoles';
export const SETTINGS_LISTS: readonly SettingsList[] = Object.freeze(['allowlist', 'allowlistHashes', 'ignoredChannels', 'exemptRoles']);

export interface SettingsRecords {
  /** The stored record (setting fields plus one array per list), or undefined; validated by the caller. */
  read(guildId: string): Promise<unknown>;
  setField(guildId: string, field: string, value: unknown): Promise<void>;
  /** False when the value was already listed. */
  addToList(guildId: string, list: SettingsList, value: string): Promise<boolean>;
  /** False when the value was not listed. */
  removeFromList(guildId: string, list: SettingsList, value: string): Promise<boolean>;
  /** Deletes the guild's fields and lists (the bot left the server long enough ago). */
  forget(guildId: string): Promise<void>;
}

/** One keyv record per guild; changes are serialised per guild so two moderators' edits both land. */
export class KeyvSettingsRecords implements SettingsRecords {
  private readonly serial = new KeyedSerialQueue();

  constructor(private readonly keyv: Keyv) {}

  read(guildId: string): Promise<unknown> {
    return this.keyv.get(guildId);
  }

  setField(guildId: string, field: string, value: unknown): Promise<void> {
    return this.update(guildId, (record) => {
      record[field] = value;
      return true;
    }).then(() => undefined);
  }

  addToList(guildId: string, list: SettingsList, value: string): Promise<boolean> {
    return this.update(guildId, (record) => {
      const values = listOf(record, list);
      if (values.includes(value)) return false;
      record[list] = [...values, value].sort();
      return true;
    });
  }

  removeFromList(guildId: string, list: SettingsList, value: string): Promise<boolean> {
    return this.update(guildId, (record) => {
      const values = listOf(record, list);
      if (!values.includes(value)) return false;
      record[list] = values.filter((v) => v !== value);
      return true;
    });
  }

  forget(guildId: string): Promise<void> {
    return this.serial.run(guildId, async () => {
      await this.keyv.delete(guildId);
    });
  }

  /** Read-modify-write under the guild's serial queue; `change` says whether to write. */
  private update(guildId: string, change: (record: Record<string, unknown>) => boolean): Promise<boolean> {
    return this.serial.run(guildId, async () => {
      const raw: unknown = await this.keyv.get(guildId);
      const record: Record<string, unknown> = typeof raw === 'object' && raw !== null ? { ...(raw as Record<string, unknown>) } : {};
      const changed = change(record);
      if (changed) await this.keyv.set(guildId, record);
      return changed;
    });
  }
}

function listOf(record: Record<string, unknown>, list: SettingsList): string[] {
  const values = record[list];
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
}
