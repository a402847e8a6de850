/**
 * Servers the bot was removed from, and when. Their settings, votes and audit trail are kept for
 * `history_days` (a kick by mistake, a re-invite, loses nothing), then deleted. Kept in the history
 * table under `left/<guildId>`, which no history key can collide with (those start with digits).
 */
import type { Keyv } from 'keyv';

const INDEX = 'left/all';

export class DepartureStore {
  constructor(private readonly keyv: Keyv) {}

  /** Notes that the bot left `guildId` at `at` (ms) and when its data falls due (`keepDays`). */
  async left(guildId: string, at: number, keepDays: number): Promise<void> {
    const all = await this.all();
    all[guildId] = at + keepDays * 86_400_000;
    await this.keyv.set(INDEX, all);
  }

  /** The bot is back in `guildId`: nothing is deleted. */
  async returned(guildId: string): Promise<void> {
    const all = await this.all();
    if (!(guildId in all)) return;
    delete all[guildId];
    await this.keyv.set(INDEX, all);
  }

  /** Guild ids whose data is due for deletion at `now`. */
  async due(now: number): Promise<string[]> {
    return Object.entries(await this.all()).filter(([, at]) => at <= now).map(([id]) => id);
  }

  private async all(): Promise<Record<string, number>> {
    const raw: unknown = await this.keyv.get(INDEX);
    const all: Record<string, number> = {};
    if (typeof raw !== 'object' || raw === null) return all;
    for (const [id, at] of Object.entries(raw as Record<string, unknown>)) if (/^\d{15,22}$/.test(id) && typeof at === 'number') all[id] = at;
    return all;
  }
}
