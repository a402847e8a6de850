/**
 * Domains this server's moderators confirmed malicious (a malicious vote reaching the quorum, a ban
 * from a review card), with when: the AutoMod rule is built from them, newest kept when Discord's
 * limits force some out. Kept in the history table under `automod/<guildId>`.
 */
import type { Keyv } from 'keyv';
import { KeyedSerialQueue } from '../core/serial.js';

/** A confirmed host name and when it was confirmed (ms). */
export interface ConfirmedDomain {
  domain: string;
  at: number;
}

const HOST = /^(?=.{1,253}$)[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$/;

export class ConfirmedStore {
  private readonly serial = new KeyedSerialQueue();

  constructor(private readonly keyv: Keyv) {}

  /** Adds `domain` (lower case host name); false when it was already confirmed. */
  add(guildId: string, domain: string, at: number): Promise<boolean> {
    const host = domain.trim().toLowerCase().replace(/\.$/, '');
    if (!HOST.test(host)) return Promise.reject(new TypeError(`Expected a host name, got ${JSON.stringify(domain)}`));
    return this.change(guildId, (all) => {
      if (all.some((d) => d.domain === host)) return false;
      all.push({ domain: host, at });
      return true;
    });
  }

  /** Removes `domain` (a false positive); false when it was not confirmed. */
  remove(guildId: string, domain: string): Promise<boolean> {
    const host = domain.trim().toLowerCase().replace(/\.$/, '');
    return this.change(guildId, (all) => {
      const index = all.findIndex((d) => d.domain === host);
      if (index >= 0) all.splice(index, 1);
      return index >= 0;
    });
  }

  /** The server's confirmed domains, oldest first. */
  async list(guildId: string): Promise<ConfirmedDomain[]> {
    const raw: unknown = await this.keyv.get(key(guildId));
    if (!Array.isArray(raw)) return [];
    return raw
      .filter((d): d is ConfirmedDomain => typeof d === 'object' && d !== null && typeof (d as ConfirmedDomain).domain === 'string'
        && HOST.test((d as ConfirmedDomain).domain) && typeof (d as ConfirmedDomain).at === 'number')
      .sort((a, b) => a.at - b.at);
  }

  /** Deletes the server's list (the bot left it). */
  forget(guildId: string): Promise<void> {
    return this.serial.run(guildId, async () => {
      await this.keyv.delete(key(guildId));
    });
  }

  private change(guildId: string, edit: (all: ConfirmedDomain[]) => boolean): Promise<boolean> {
    return this.serial.run(guildId, async () => {
      const all = await this.list(guildId);
      const changed = edit(all);
      if (changed) await this.keyv.set(key(guildId), all);
      return changed;
    });
  }
}

function key(guildId: string): string {
  return `automod/${guildId}`;
}
