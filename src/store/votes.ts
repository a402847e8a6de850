/**
 * Moderator votes: one per moderator, server and object, changeable. Each server keeps its own
 * ballots (a moderator of one server says nothing about another's), so tallies and what they cause
 * never cross servers. Where the ballots live is a
 * {@link BallotBox}: a keyv record updated under a per-object serial queue (one process, SQLite), or
 * a Redis hash whose field per moderator is set atomically (many processes, see records-redis.ts).
 * Either way two moderators pressing at once never lose a vote.
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

/** Where ballots are kept. Values read back are raw (validated by VoteStore). */
export interface BallotBox {
  /** Voter → verdict as stored for `objectKey` (any shape; unknown entries are ignored). */
  read(objectKey: string): Promise<unknown>;
  /** Sets one voter's verdict atomically; returns the record before the change and after it. */
  put(objectKey: string, voter: string, verdict: VoteVerdict): Promise<{ before: unknown; after: unknown }>;
  /** Deletes every record whose object key starts with `prefix` (one server's boxes); returns how many. */
  forget(prefix: string): Promise<number>;
}

/** Ballots as one keyv record per object; safe for one process (the serial queue is in memory). */
export class KeyvBallotBox implements BallotBox {
  private readonly serial = new KeyedSerialQueue();

  constructor(private readonly keyv: Keyv) {}

  read(objectKey: string): Promise<unknown> {
    return this.keyv.get(objectKey);
  }

  put(objectKey: string, voter: string, verdict: VoteVerdict): Promise<{ before: unknown; after: unknown }> {
    return this.serial.run(objectKey, async () => {
      const before = parseBallots(await this.keyv.get(objectKey));
      if (before[voter] === verdict) return { before, after: before };
      const after = { ...before, [voter]: verdict };
      await this.keyv.set(objectKey, after);
      return { before, after };
    });
  }

  async forget(prefix: string): Promise<number> {
    const keys: string[] = [];
    const iterate = this.keyv.iterator?.bind(this.keyv);
    if (iterate === undefined) return 0;
    for await (const [key] of iterate(this.keyv.namespace)) if (typeof key === 'string' && key.startsWith(prefix)) keys.push(key);
    for (const key of keys) await this.serial.run(key, () => this.keyv.delete(key));
    return keys.length;
  }
}

export class VoteStore {
  constructor(private readonly box: BallotBox) {}

  /** Records (or changes) `moderatorId`'s verdict on `objectKey` in server `guildId` (null: outside a server). */
  async cast(guildId: string | null, objectKey: string, moderatorId: string, verdict: VoteVerdict): Promise<CastResult> {
    const { before, after } = await this.box.put(ballotBox(guildId, objectKey), moderatorId, verdict);
    const previous = parseBallots(before)[moderatorId] ?? null;
    return { changed: previous !== verdict, previous, tally: tallyOf(parseBallots(after)) };
  }

  /** Server `guildId`'s tally on `objectKey`. */
  async tally(guildId: string | null, objectKey: string): Promise<ModeratorTally> {
    return tallyOf(parseBallots(await this.box.read(ballotBox(guildId, objectKey))));
  }

  /** The moderator's current verdict in server `guildId`, or null. */
  async voterVerdict(guildId: string | null, objectKey: string, moderatorId: string): Promise<VoteVerdict | null> {
    return parseBallots(await this.box.read(ballotBox(guildId, objectKey)))[moderatorId] ?? null;
  }

  /** Deletes every ballot box of server `guildId` (the bot left it); returns how many. */
  forget(guildId: string): Promise<number> {
    return this.box.forget(ballotBox(guildId, ''));
  }
}

/**
 * One ballot box per server and object. Records written before votes were per server were keyed by
 * the object alone; they belong to no known server and are no longer read.
 */
function ballotBox(guildId: string | null, objectKey: string): string {
  return `${guildId ?? 'dm'}/${objectKey}`;
}

/** Stored ballots, keeping only well-formed entries. */
function parseBallots(raw: unknown): Ballots {
  const ballots: Ballots = {};
  if (typeof raw !== 'object' || raw === null) return ballots;
  for (const [voter, verdict] of Object.entries(raw as Record<string, unknown>)) {
    if (verdict === 'malicious' || verdict === 'harmless') ballots[voter] = verdict;
  }
  return ballots;
}

function tallyOf(ballots: Ballots): ModeratorTally {
  const verdicts = Object.values(ballots);
  return { malicious: verdicts.filter((v) => v === 'malicious').length, harmless: verdicts.filter((v) => v === 'harmless').length };
}
