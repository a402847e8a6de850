/**
 * Single-flight across processes: the same object looked up on two processes at once costs one
 * VirusTotal request. The first process takes a short lock (`SET NX PX`, renewed while it works);
 * the others wait for its result to appear in the shared cache, and do the work themselves only
 * when the lock is gone without a result (the holder failed or died).
 */
import { randomUUID } from 'node:crypto';
import { timerDelay } from '../core/timers.js';
import type { RedisClient } from './redis-client.js';

export interface FlightLock {
  /**
   * Runs `work` unless another process is doing the same `key`; then returns what `result` reads
   * once that process is done (undefined from `result` means "not there yet").
   */
  once<T>(key: string, work: () => Promise<T>, result: () => Promise<T | undefined>): Promise<T>;
}

/** One process: its in-memory flights (src/scan/scanner-flights.ts) are all there is. */
export const LOCAL_FLIGHTS: FlightLock = { once: (_key, work) => work() };

const LOCK_MS = 15_000;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export class RedisFlightLock implements FlightLock {
  constructor(private readonly client: RedisClient, private readonly prefix: string) {}

  async once<T>(key: string, work: () => Promise<T>, result: () => Promise<T | undefined>): Promise<T> {
    const lock = `${this.prefix}flight:${key}`;
    const token = randomUUID();
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      let taken: boolean;
      try {
        taken = (await this.client.set(lock, token, { condition: 'NX', expiration: { type: 'PX', value: LOCK_MS } })) === 'OK';
      } catch {
        return work(); // no Redis: nothing to share (and the quota gate decides whether to send)
      }
      if (taken) return this.holding(lock, token, work);
      await new Promise((resolve) => setTimeout(resolve, timerDelay(wait)));
      const done = await result().catch(() => undefined);
      if (done !== undefined) return done;
    }
  }

  /** Runs `work` under the lock, renewing it (a look-up may wait minutes for a quota slot). */
  private async holding<T>(lock: string, token: string, work: () => Promise<T>): Promise<T> {
    const renew = setInterval(() => {
      this.client.eval(RENEW, { keys: [lock], arguments: [token, String(LOCK_MS)] }).catch(() => undefined);
    }, timerDelay(LOCK_MS / 3));
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.client.eval(RELEASE, { keys: [lock], arguments: [token] }).catch(() => undefined);
    }
  }
}
