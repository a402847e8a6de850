/**
 * The store on Redis (STORE_URL=redis://… or rediss://…), for several processes acting as one bot:
 * the cache, the targets, the quota's keyv and the jobs through keyv's Redis adapter over one
 * connection; votes and settings as Redis hashes and sets (records-redis.ts); job claims as leases
 * (job-claims.ts). Every key starts with `vt-guard:`, so the bot can share a Redis database.
 */
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { CardStore } from './cards.js';
import { ConfirmedStore } from './confirmed.js';
import { DepartureStore } from './departures.js';
import { RedisFlightLock } from './flight-lock.js';
import { RedisHandledMarks } from './handled.js';
import { HistoryStore, isHistoryEntry, MAX_ENTRIES_PER_DAY } from './history.js';
import { RedisJobClaims } from './job-claims.js';
import { JobStore } from './jobs.js';
import { MemberRateStore } from './member-rate.js';
import { ReviewStore } from './reviews.js';
import { RedisBallotBox, RedisSettingsRecords } from './records-redis.js';
import { connectRedis, redisTarget, type RedisConnection } from './redis-client.js';
import { SettingsStore } from './settings.js';
import { REDIS_PREFIX, StoreError, type OpenStoreOptions, type Store } from './store.js';
import { TargetStore } from './targets.js';
import { KeyvTrail } from './trail.js';
import { RedisTrail } from './trail-redis.js';
import { VoteStore } from './votes.js';

const DEFAULT_LEASE_MS = 30_000;

/** Connects (or fails with a one-line StoreError), then builds every concern on the connection. */
export async function openRedisStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const target = redisTarget(url);
  let connection: RedisConnection;
  try {
    connection = await connectRedis(url, options.log);
  } catch (error) {
    const cause = error as { socketError?: unknown; originalError?: unknown };
    const why = errorCode(error) ?? errorCode(cause.socketError) ?? errorCode(cause.originalError) ?? (error instanceof Error ? error.message : String(error));
    throw new StoreError(`Cannot reach Redis at ${target} (${why}): start Redis there or fix STORE_URL`, target, { cause: error });
  }
  const { client } = connection;
  const keyvOf = (concern: string): Keyv => {
    const keyv = new Keyv({ store: new KeyvRedis(client, { noNamespaceAffectsAll: false }), namespace: `${REDIS_PREFIX}${concern}`, useKeyPrefix: false, throwOnErrors: true });
    // Unhandled, a keyv `error` event would crash the process; failures also reach the caller (throwOnErrors).
    keyv.on('error', (error: unknown) => options.log?.debug({ module: 'store', concern, err: error }, 'store error'));
    return keyv;
  };
  const claims = new RedisJobClaims(client, REDIS_PREFIX, options.jobLeaseMs ?? DEFAULT_LEASE_MS, options.log);
  const jobs = keyvOf('jobs');
  // The audit trail, departures and confirmed domains share one concern, as in SQLite's history table.
  const history = keyvOf('history');
  let closed = false;
  return {
    cache: keyvOf('cache'),
    quota: keyvOf('quota'),
    settings: new SettingsStore(new RedisSettingsRecords(client, REDIS_PREFIX)),
    votes: new VoteStore(new RedisBallotBox(client, REDIS_PREFIX)),
    targets: new TargetStore(keyvOf('targets')),
    cards: new CardStore(keyvOf('cards')),
    memberRate: new MemberRateStore(keyvOf('rates')),
    reviews: new ReviewStore(keyvOf('reviews')),
    // Lists per day, so processes append without overwriting each other; the previous version's keyv days still read.
    history: new HistoryStore(new RedisTrail(client, REDIS_PREFIX, MAX_ENTRIES_PER_DAY, isHistoryEntry, new KeyvTrail(history, MAX_ENTRIES_PER_DAY, isHistoryEntry))),
    departures: new DepartureStore(history),
    confirmed: new ConfirmedStore(history),
    jobs: new JobStore<unknown>(jobs, 'default', (raw) => raw, claims),
    handled: new RedisHandledMarks(client, REDIS_PREFIX),
    flights: new RedisFlightLock(client, REDIS_PREFIX),
    redis: connection,
    async close() {
      if (closed) return;
      closed = true;
      await claims.close();
      // close() waits for commands already sent; destroy() if the connection is down.
      await (client.isReady ? client.close() : Promise.resolve(client.destroy())).catch(() => undefined);
    },
  };
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
