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

/**
 * A text written within this long is not written again: a site posted all day costs one write, and
 * its buttons still outlive the last post by the TTL less a day at worst.
 */
const REWRITE_AFTER_MS = 24 * 60 * 60_000;
/** Bound on the texts this process remembers writing. */
const WRITTEN_ENTRIES = 1_000;

export class TargetStore {
  /** What this process wrote lately and when, oldest first. */
  private readonly written = new Map<string, { value: string; at: number }>();

  constructor(private readonly keyv: Keyv, private readonly ttlMs = TARGET_TTL_MS) {}

  /** Remembers the text behind `ref` (for a URL: the URL itself). */
  async remember(ref: ObjectRef, value: string): Promise<void> {
    const key = objectKey(ref);
    const now = Date.now();
    const last = this.written.get(key);
    if (last?.value === value && now - last.at < Math.min(REWRITE_AFTER_MS, this.ttlMs / 2)) return;
    await this.keyv.set(key, value, this.ttlMs);
    this.written.delete(key);
    this.written.set(key, { value, at: now });
    if (this.written.size > WRITTEN_ENTRIES) this.written.delete(this.written.keys().next().value as string);
  }

  /** The text remembered for `ref`, or undefined when it was never scanned here or has expired. */
  async valueOf(ref: ObjectRef): Promise<string | undefined> {
    const value: unknown = await this.keyv.get(objectKey(ref));
    return typeof value === 'string' ? value : undefined;
  }
}
