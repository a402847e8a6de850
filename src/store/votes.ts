/**
 * Moderator votes: one per moderator, server and object, changeable. Each server keeps its own
 * ballots (a moderator of one server says nothing about another's), so tallies and what they cause
 * never cross servers. Updates to one ballot box are serialised (a read-modify-write each), so two
 * moderators pressing at once never lose a vote.
 */
import type { Keyv } from 'keyv';
import type { ModeratorTally, VoteVerdict } from '../core/objects.js';
import { KeyedSerialQueue } from '../core/serial.js';

export interface CastResult {
  /** False when the moderator already had this verdict on record. */
  changed: boolean;
  previous: VoteVerdict | null;
  tally: ModeratorTally;
}

type Ballots = Record<string, VoteVerdict>;

export class VoteStore {
  private readonly serial = new KeyedSerialQueue();

  constructor(private readonly keyv: Keyv) {}

  /** Records (or changes) `moderatorId`'s verdict on `objectKey` in server `guildId` (null: outside a server). */
  cast(guildId: string | null, objectKey: string, moderatorId: string, verdict: VoteVerdict): Promise<CastResult> {
    const box = ballotBox(guildId, objectKey);
    return this.serial.run(box, async () => {
      const ballots = await this.ballots(box);
      const previous = ballots[moderatorId] ?? null;
      if (previous === verdict) return { changed: false, previous, tally: tallyOf(ballots) };
      ballots[moderatorId] = verdict;
      await this.keyv.set(box, ballots);
      return { changed: true, previous, tally: tallyOf(ballots) };
    });
  }

  /** Server `guildId`'s tally on `objectKey`. */
  async tally(guildId: string | null, objectKey: string): Promise<ModeratorTally> {
    return tallyOf(await this.ballots(ballotBox(guildId, objectKey)));
  }

  /** The moderator's current verdict in server `guildId`, or null. */
  async voterVerdict(guildId: string | null, objectKey: string, moderatorId: string): Promise<VoteVerdict | null> {
    return (await this.ballots(ballotBox(guildId, objectKey)))[moderatorId] ?? null;
  }

  /** Deletes every ballot box of server `guildId` (the bot left it); returns how many. */
  async forget(guildId: string): Promise<number> {
    const prefix = `${guildId}/`;
    const keys: string[] = [];
    const iterate = this.keyv.iterator?.bind(this.keyv);
    if (iterate === undefined) return 0;
    for await (const [key] of iterate(this.keyv.namespace)) if (typeof key === 'string' && key.startsWith(prefix)) keys.push(key);
    for (const key of keys) await this.serial.run(key, () => this.keyv.delete(key));
    return keys.length;
  }

  /** Stored ballots, keeping only well-formed entries. */
  private async ballots(box: string): Promise<Ballots> {
    const raw: unknown = await this.keyv.get(box);
    const ballots: Ballots = {};
    if (typeof raw !== 'object' || raw === null) return ballots;
    for (const [voter, verdict] of Object.entries(raw as Record<string, unknown>)) {
      if (verdict === 'malicious' || verdict === 'harmless') ballots[voter] = verdict;
    }
    return ballots;
  }
}

/**
 * One ballot box per server and object. Records written before votes were per server were keyed by
 * the object alone; they belong to no known server and are no longer read.
 */
function ballotBox(guildId: string | null, objectKey: string): string {
  return `${guildId ?? 'dm'}/${objectKey}`;
}

function tallyOf(ballots: Ballots): ModeratorTally {
  const verdicts = Object.values(ballots);
  return { malicious: verdicts.filter((v) => v === 'malicious').length, harmless: verdicts.filter((v) => v === 'harmless').length };
}
