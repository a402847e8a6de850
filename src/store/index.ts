/**
 * The store: one keyv per concern over one SQLite file (a table each), opened from STORE_URL, or,
 * for several processes, over Redis (store-redis.ts). Opening probes every table with a write, so
 * a damaged or read-only file is a clear startup error (StoreError) instead of a failure on the
 * first scan.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { Keyv } from 'keyv';
import { CardStore } from './cards.js';
import { ConfirmedStore } from './confirmed.js';
import { DepartureStore } from './departures.js';
import { LOCAL_FLIGHTS } from './flight-lock.js';
import { LOCAL_MARKS } from './handled.js';
import { HistoryStore, isHistoryEntry, MAX_ENTRIES_PER_DAY } from './history.js';
import { JobStore } from './jobs.js';
import { MemberRateStore } from './member-rate.js';
import { KeyvSettingsRecords } from './settings-records.js';
import { ReviewStore } from './reviews.js';
import { SettingsStore } from './settings.js';
import { TargetStore } from './targets.js';
import { KeyvTrail } from './trail.js';
import { KeyvBallotBox, VoteStore } from './votes.js';
import { StoreError, type OpenStoreOptions, type Store } from './store.js';

/** The concerns, one keyv (a table, or a Redis key prefix) each. */
export const TABLES = ['cache', 'settings', 'votes', 'quota', 'jobs', 'targets', 'cards', 'rates', 'reviews', 'history'] as const;

/**
 * Opens the store at `url`: `sqlite://data/x.sqlite` (relative to the working directory),
 * `sqlite:///abs/x.sqlite`, or `sqlite://:memory:`. The folder is created when missing.
 * `redis://host:6379` or `rediss://…` opens the shared Redis store instead.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^rediss?:\/\//.test(url)) {
    // Loaded only when asked for: the Redis client costs a single-process bot ~20 MB it never uses.
    const { openRedisStore } = await import('./store-redis.js');
    return openRedisStore(url, options);
  }
  const match = /^sqlite:\/\/(.+)$/.exec(url);
  if (match?.[1] === undefined) throw new StoreError(`Expected STORE_URL to start with sqlite:// (e.g. sqlite://data/vt-guard.sqlite), got ${url}`, url);
  const path = match[1] === ':memory:' ? ':memory:' : resolve(match[1]);
  if (path !== ':memory:') createFolder(path);

  const stores: Keyv[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(stores.map((keyv) => keyv.disconnect().catch(() => undefined)));
  };
  try {
    // One table at a time, each probed with a write before the next connection opens: a failed
    // connection must be awaited (an unawaited one is an unhandled rejection), and ten connections
    // creating tables at once would only contend for the write lock.
    for (const table of TABLES) {
      const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table, busyTimeout: 10_000 });
      const keyv = new Keyv({ store: adapter, namespace: table, throwOnErrors: true });
      // Unhandled, a keyv `error` event would crash the process; failures also reach the caller (throwOnErrors).
      keyv.on('error', (error: unknown) => options.log?.error({ module: 'store', table, err: error }, 'store error'));
      stores.push(keyv);
      // WAL: readers never wait for a writer, and a commit is an append rather than an fsync'd
      // journal swap, so the cache, the quota counters and jobs can be written at scan rate.
      if (path !== ':memory:') await adapter.query('PRAGMA journal_mode = WAL');
      await adapter.query('PRAGMA synchronous = NORMAL');
      await keyv.set('__probe__', 1);
      await keyv.delete('__probe__');
    }
  } catch (error) {
    await closeAll();
    throw explain(error, path);
  }
  const [cache, settings, votes, quota, jobs, targets, cards, rates, reviews, history] = stores as [Keyv, Keyv, Keyv, Keyv, Keyv, Keyv, Keyv, Keyv, Keyv, Keyv];
  return {
    cache,
    quota,
    settings: new SettingsStore(new KeyvSettingsRecords(settings)),
    votes: new VoteStore(new KeyvBallotBox(votes)),
    jobs: new JobStore<unknown>(jobs),
    targets: new TargetStore(targets),
    cards: new CardStore(cards),
    memberRate: new MemberRateStore(rates),
    handled: LOCAL_MARKS,
    flights: LOCAL_FLIGHTS,
    reviews: new ReviewStore(reviews),
    history: new HistoryStore(new KeyvTrail(history, MAX_ENTRIES_PER_DAY, isHistoryEntry)),
    departures: new DepartureStore(history),
    confirmed: new ConfirmedStore(history),
    close: closeAll,
  };
}

function createFolder(path: string): void {
  const folder = dirname(path);
  try {
    makeFolders(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new StoreError(`Cannot create the store folder ${folder} (${code}): create it and make it writable by the bot, or change STORE_URL`, path, { cause: error });
  }
}

/**
 * `mkdir -p`, one level at a time: Node's `mkdirSync(…, { recursive: true })` spins forever on
 * pseudo file systems such as /proc, where a STORE_URL typo would then hang the bot at start-up.
 */
function makeFolders(folder: string): void {
  if (existsSync(folder)) return;
  const parent = dirname(folder);
  if (parent !== folder) makeFolders(parent);
  try {
    mkdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** sqlite3 error → what the person running the bot should do. */
function explain(error: unknown, path: string): StoreError {
  const code = (error as { code?: unknown }).code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StoreError(`The store file ${path} is not a usable SQLite database (${detail}). Move it aside (the bot then starts a new one) or restore a backup.`, path, { cause: error });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new StoreError(`The store file ${path} cannot be opened for writing (${detail}). Make the file and its folder writable by the bot's user, or change STORE_URL.`, path, { cause: error });
  }
  return new StoreError(`The store file ${path} could not be opened (${detail}). Check the file and STORE_URL.`, path, { cause: error });
}
