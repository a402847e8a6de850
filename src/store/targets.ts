/**
 * What a button acts on, kept from the moment the object was scanned: a URL's own text under
 * VirusTotal's URL id (the only id a custom_id has room for). Buttons read it from here and never
 * from a rendered card, so changing how a card looks cannot change what Rescan or Details do, and a
 * 2,000-character URL works like a short one.
 */
import type { Keyv } from 'keyv';
import { objectKey, type ObjectRef } from '../core/objects.js';

/** A card's buttons stay usable this long after the object was last scanned. */
export const TARGET_TTL_MS = 90 * 24 * 60 * 60_000;

export class TargetStore {
  constructor(private readonly keyv: Keyv, private readonly ttlMs = TARGET_TTL_MS) {}

  /** Remembers the text behind `ref` (for a URL: the URL itself). */
  async remember(ref: ObjectRef, value: string): Promise<void> {
    await this.keyv.set(objectKey(ref), value, this.ttlMs);
  }

  /** The text remembered for `ref`, or undefined when it was never scanned here or has expired. */
  async valueOf(ref: ObjectRef): Promise<string | undefined> {
    const value: unknown = await this.keyv.get(objectKey(ref));
    return typeof value === 'string' ? value : undefined;
  }
}
