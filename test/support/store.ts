/**
 * Temp folders and stores for store tests, cleaned up after each test. Store tests run against
 * both backends (`describe.each(BACKENDS)`): a SQLite file, and a real redis-server on loopback.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { afterAll, afterEach } from 'vitest';
import { HistoryStore, isHistoryEntry } from '../../src/store/history.js';
import { openStore } from '../../src/store/index.js';
import { REDIS_PREFIX, type Store } from '../../src/store/store.js';
import { KeyvTrail } from '../../src/store/trail.js';
import { RedisTrail } from '../../src/store/trail-redis.js';
import { startRedis, type RedisServer } from './redis.js';

export type Backend = 'sqlite' | 'redis';
export const BACKENDS: Backend[] = ['sqlite', 'redis'];

export function tempDirs(): () => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vt-guard-store-'));
    dirs.push(dir);
    return dir;
  };
}

/** One redis-server for the test file, started on first use of the redis backend. */
export function sharedRedis(): () => Promise<RedisServer> {
  let server: Promise<RedisServer> | undefined;
  afterAll(async () => {
    await (await server)?.close();
  });
  return () => (server ??= startRedis());
}

/**
 * Opens a store in a fresh (or the given) folder; the last one opened is closed after each test.
 * On Redis a folder names a data set: a folder not seen before starts from an empty database, the
 * same folder again reopens what was written (like reopening the SQLite file).
 */
export function storeOpener(tempDir: () => Promise<string>, backend: Backend = 'sqlite'): (dir?: string) => Promise<Store> {
  let store: Store | undefined;
  const redis = sharedRedis();
  const seen = new Set<string>();
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return async (dir) => {
    const folder = dir ?? (await tempDir());
    if (backend === 'sqlite') {
      store = await openStore(`sqlite://${join(folder, 'vt.sqlite')}`);
      return store;
    }
    const server = await redis();
    if (!seen.has(folder)) {
      seen.add(folder);
      const client = createClient({ url: server.url });
      await client.connect();
      await client.flushAll();
      await client.close();
    }
    store = await openStore(server.url);
    return store;
  };
}

/**
 * An audit trail on the store's own backend (keyv pages on SQLite, lists on Redis) with a lower
 * bound per day than the bot's, for tests of the bound.
 */
export function boundedTrail(store: Store, maxPerDay: number): HistoryStore {
  const client = store.redis?.client;
  return new HistoryStore(client === undefined
    ? new KeyvTrail(store.cache, maxPerDay, isHistoryEntry)
    : new RedisTrail(client, `${REDIS_PREFIX}bounded:`, maxPerDay, isHistoryEntry));
}
