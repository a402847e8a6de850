/**
 * Where per-guild settings are kept, as the operations SettingsStore needs: read the raw record,
 * set one field, add or remove one allowlisted domain. Each operation is atomic for its guild; the
 * keyv form below serialises a read-modify-write per guild in memory (one process), the Redis form
 * (settings-redis.ts) uses a hash and a set so processes sharing Redis never overwrite each other.
 */
import type { Keyv } from 'keyv';
import { KeyedSerialQueue } from '../core/serial.js';

export interface SettingsRecords {
  /** The stored record (setting fields plus `allowlist`), or undefined; validated by the caller. */
  read(guildId: string): Promise<unknown>;
  setField(guildId: string, field: string, value: unknown): Promise<void>;
  /** False when the domain was already listed. */
  addDomain(guildId: string, domain: string): Promise<boolean>;
  /** False when the domain was not listed. */
  removeDomain(guildId: string, domain: string): Promise<boolean>;
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

  addDomain(guildId: string, domain: string): Promise<boolean> {
    return this.update(guildId, (record) => {
      const list = domainsOf(record);
      if (list.includes(domain)) return false;
      record.allowlist = [...list, domain].sort();
      return true;
    });
  }

  removeDomain(guildId: string, domain: string): Promise<boolean> {
    return this.update(guildId, (record) => {
      const list = domainsOf(record);
      if (!list.includes(domain)) return false;
      record.allowlist = list.filter((d) => d !== domain);
      return true;
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

function domainsOf(record: Record<string, unknown>): string[] {
  return Array.isArray(record.allowlist) ? record.allowlist.filter((d): d is string => typeof d === 'string') : [];
}
