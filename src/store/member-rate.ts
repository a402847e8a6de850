/**
 * The per-member limit on look-ups started by people (`member_rate`): when each member of a server
 * last started one, in a sliding 10-minute window. Kept in the store, so a restart does not hand a
 * member a fresh allowance, and serialised per member, so two commands at once cannot both take the
 * last one.
 */
import type { Keyv } from 'keyv';
import { KeyedSerialQueue } from '../core/serial.js';

/** The window `member_rate` counts in. */
export const MEMBER_RATE_WINDOW_MS = 10 * 60_000;

/** Allowed (and counted), or refused until `retryAt` (ms since the epoch). */
export type RateDecision = { allowed: true } | { allowed: false; retryAt: number };

export class MemberRateStore {
  private readonly serial = new KeyedSerialQueue();

  constructor(private readonly keyv: Keyv, private readonly windowMs = MEMBER_RATE_WINDOW_MS) {}

  /** Counts one look-up for `memberId` in `guildId` if fewer than `limit` fall in the window at `now`. */
  take(guildId: string | null, memberId: string, limit: number, now: number): Promise<RateDecision> {
    const key = `${guildId ?? 'dm'}/${memberId}`;
    return this.serial.run(key, async () => {
      const recent = (await this.times(key)).filter((t) => t > now - this.windowMs && t <= now);
      if (recent.length >= limit) {
        // Free again when the oldest of the last `limit` look-ups leaves the window.
        const oldest = recent[recent.length - limit] ?? now;
        return { allowed: false, retryAt: oldest + this.windowMs };
      }
      await this.keyv.set(key, [...recent, now], this.windowMs);
      return { allowed: true };
    });
  }

  /** Stored start times, oldest first; anything malformed counts as none. */
  private async times(key: string): Promise<number[]> {
    const raw: unknown = await this.keyv.get(key);
    if (!Array.isArray(raw)) return [];
    // A member can hold at most `limit` (≤ 100) entries; a longer record is not ours.
    return raw.slice(-100).filter((t): t is number => typeof t === 'number' && Number.isFinite(t)).sort((a, b) => a - b);
  }
}
