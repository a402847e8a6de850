/** What the store is, whichever backend holds it (index.ts opens it). */
import type { Keyv } from 'keyv';
import type { Logger } from '../log.js';
import type { CardStore } from './cards.js';
import type { ConfirmedStore } from './confirmed.js';
import type { DepartureStore } from './departures.js';
import type { FlightLock } from './flight-lock.js';
import type { HandledMarks } from './handled.js';
import type { HistoryStore } from './history.js';
import type { JobStore } from './jobs.js';
import type { MemberRateStore } from './member-rate.js';
import type { ReviewStore } from './reviews.js';
import type { RedisConnection } from './redis-client.js';
import type { SettingsStore } from './settings.js';
import type { TargetStore } from './targets.js';
import type { VoteStore } from './votes.js';

/** Prefix of every key the bot writes to Redis (STORE_URL=redis://…). */
export const REDIS_PREFIX = 'vt-guard:';

/** The store could not be opened; `message` says which file and what to do. */
export class StoreError extends Error {
  constructor(message: string, readonly path: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export interface Store {
  /** Normalised reports (and short-lived "not found" marks), keyed by object. */
  cache: Keyv;
  /** The quota gate's counters. */
  quota: Keyv;
  settings: SettingsStore;
  votes: VoteStore;
  /** What buttons act on (a URL's text by its VirusTotal id). */
  targets: TargetStore;
  /** Which object each embed of a result message shows, by message id. */
  cards: CardStore;
  /** Look-ups each member started recently (`member_rate`). */
  memberRate: MemberRateStore;
  /** Review and consent cards in log channels, by card message id; recent flagged posts per member. */
  reviews: ReviewStore;
  /** The audit trail per server (`history_days`). */
  history: HistoryStore;
  /** Domains each server's moderators confirmed malicious (the AutoMod rule's keywords). */
  confirmed: ConfirmedStore;
  /** Servers the bot left, and when: their data is deleted `history_days` later. */
  departures: DepartureStore;
  /** Single-flight across processes sharing the store (see flight-lock.ts). */
  flights: FlightLock;
  /** Which process scans which planned item of a message (see handled.ts). */
  handled: HandledMarks;
  /** Pending work that must survive a restart (see {@link JobStore.queue} for separate queues). */
  jobs: JobStore<unknown>;
  /**
   * Set when the store is Redis and shared by several processes: the connection the quota gate and
   * the scanner's cross-process single-flight use, and its health.
   */
  redis?: RedisConnection;
  /** Closes every connection. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  log?: Logger;
  /** Redis only: how long a dead process's jobs stay held before another takes them over (default 30 s). */
  jobLeaseMs?: number;
}

