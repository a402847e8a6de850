/**
 * Who runs a stored job. One process (SQLite) runs all of them. Processes sharing Redis each claim
 * a job with a lease (`SET NX PX`), renewed while the job is held; when a process dies its leases
 * expire and another process's sweep claims and resumes the job. Compare-and-act scripts make
 * renewing and releasing touch only a lease this process still owns.
 */
import { randomUUID } from 'node:crypto';
import { timerDelay } from '../core/timers.js';
import type { Logger } from '../log.js';
import type { RedisClient } from './redis-client.js';

export interface JobClaims {
  /** True when other processes may hold jobs (pending jobs must then be claimed, and swept for takeover). */
  readonly shared: boolean;
  /** How long a dead process's job stays held before another may take it over. */
  readonly leaseMs: number;
  /** True when this process now holds `key` (or already did). */
  claim(key: string): Promise<boolean>;
  /** Lets `key` go (no-op when not held). */
  release(key: string): Promise<void>;
  /** Stops renewing; held leases are released so another process can resume those jobs at once. */
  close(): Promise<void>;
}

/** One process: every job is this process's. */
export function localClaims(): JobClaims {
  return { shared: false, leaseMs: 0, claim: () => Promise.resolve(true), release: () => Promise.resolve(), close: () => Promise.resolve() };
}

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Leases in Redis, renewed every third of the lease while held. */
export class RedisJobClaims implements JobClaims {
  readonly shared = true;
  /** Identifies this process's leases. */
  readonly owner = randomUUID();
  private readonly held = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly client: RedisClient, private readonly prefix: string, readonly leaseMs: number, private readonly log?: Logger) {
    this.timer = setInterval(() => void this.renewAll(), timerDelay(Math.max(10, Math.floor(leaseMs / 3))));
    this.timer.unref();
  }

  async claim(key: string): Promise<boolean> {
    if (this.held.has(key)) return true;
    const set = await this.client.set(this.leaseKey(key), this.owner, { condition: 'NX', expiration: { type: 'PX', value: this.leaseMs } });
    const mine = set === 'OK' || (await this.client.get(this.leaseKey(key))) === this.owner;
    if (mine) this.held.add(key);
    return mine;
  }

  async release(key: string): Promise<void> {
    if (!this.held.delete(key)) return;
    await this.client.eval(RELEASE, { keys: [this.leaseKey(key)], arguments: [this.owner] });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    const keys = [...this.held];
    await Promise.allSettled(keys.map((key) => this.release(key)));
  }

  /** Keeps every held lease alive; a lease found taken over is dropped (its job now runs elsewhere). */
  private async renewAll(): Promise<void> {
    for (const key of [...this.held]) {
      try {
        const renewed = await this.client.eval(RENEW, { keys: [this.leaseKey(key)], arguments: [this.owner, String(this.leaseMs)] });
        if (renewed !== 1) {
          this.held.delete(key);
          this.log?.warn({ module: 'store', job: key }, 'job lease lost (this process was cut off too long); another process may run it');
        }
      } catch {
        return; // Redis unreachable: the connection's own log says so; renewal resumes when it is back
      }
    }
  }

  private leaseKey(key: string): string {
    return `${this.prefix}lease:${key}`;
  }
}
