/**
 * Moderator votes: one per moderator and object, changeable. Updates to one object are serialised
 * (a read-modify-write each), so two moderators pressing at once never lose a vote.
 */
import type { Keyv } from 'keyv';
import type { VoteVerdict } from '../vt/backend.js';

export interface Tally {
  malicious: number;
  harmless: number;
}

export interface CastResult {
  /** False when the moderator already had this verdict on record. */
  changed: boolean;
  previous: VoteVerdict | null;
  tally: Tally;
}

type Ballots = Record<string, VoteVerdict>;

export class VoteStore {
  /** The tail of the update chain per object (single process; several processes would need a lock). */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly keyv: Keyv) {}

  /** Records (or changes) `moderatorId`'s verdict on `objectKey`. */
  cast(objectKey: string, moderatorId: string, verdict: VoteVerdict): Promise<CastResult> {
    return this.serialised(objectKey, async () => {
      const ballots = await this.ballots(objectKey);
      const previous = ballots[moderatorId] ?? null;
      if (previous === verdict) return { changed: false, previous, tally: tallyOf(ballots) };
      ballots[moderatorId] = verdict;
      await this.keyv.set(objectKey, ballots);
      return { changed: true, previous, tally: tallyOf(ballots) };
    });
  }

  async tally(objectKey: string): Promise<Tally> {
    return tallyOf(await this.ballots(objectKey));
  }

  /** The moderator's current verdict, or null. */
  async voterVerdict(objectKey: string, moderatorId: string): Promise<VoteVerdict | null> {
    return (await this.ballots(objectKey))[moderatorId] ?? null;
  }

  /** Stored ballots, keeping only well-formed entries. */
  private async ballots(objectKey: string): Promise<Ballots> {
    const raw: unknown = await this.keyv.get(objectKey);
    const ballots: Ballots = {};
    if (typeof raw !== 'object' || raw === null) return ballots;
    for (const [voter, verdict] of Object.entries(raw as Record<string, unknown>)) {
      if (verdict === 'malicious' || verdict === 'harmless') ballots[voter] = verdict;
    }
    return ballots;
  }

  private serialised<R>(objectKey: string, update: () => Promise<R>): Promise<R> {
    const previous = this.chains.get(objectKey) ?? Promise.resolve();
    const next = previous.then(update, update);
    const tail = next.catch(() => undefined);
    this.chains.set(objectKey, tail);
    void tail.then(() => {
      if (this.chains.get(objectKey) === tail) this.chains.delete(objectKey);
    });
    return next;
  }
}

function tallyOf(ballots: Ballots): Tally {
  const verdicts = Object.values(ballots);
  return { malicious: verdicts.filter((v) => v === 'malicious').length, harmless: verdicts.filter((v) => v === 'harmless').length };
}
