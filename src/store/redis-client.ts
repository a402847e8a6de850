/**
 * The one Redis connection of a process (STORE_URL=redis://… or rediss://…). The first connection
 * must succeed at once (a clear start-up error otherwise); after that a lost connection is retried
 * for ever, and commands fail at once while it is down instead of queueing in memory, so nothing
 * waits on Redis without a deadline.
 */
import { createClient } from '@redis/client';
import type { Logger } from '../log.js';

/** A node-redis client (the library @keyv/redis uses). */
export type RedisClient = ReturnType<typeof newClient>;

/** How long the first connection may take before start-up gives up. */
const CONNECT_TIMEOUT_MS = 5000;

/** `redis://user:secret@host:6379/0` → `host:6379`: what a message may show (never the password). */
export function redisTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port === '' ? '6379' : parsed.port}`;
  } catch {
    return 'an unparsable address';
  }
}

/** The connection and its state, for `/healthz`. */
export interface RedisConnection {
  client: RedisClient;
  /** Null while connected; otherwise why not. */
  problem(): string | null;
}

/** Opens the connection; rejects with the socket error when the first attempt fails. */
export async function connectRedis(url: string, log?: Logger): Promise<RedisConnection> {
  let connectedOnce = false;
  let lost: string | null = null;
  const client = newClient(url, () => connectedOnce);
  client.on('error', (error: unknown) => {
    if (!connectedOnce) return; // the rejected connect() reports it
    const code = (error as { code?: unknown }).code;
    const why = typeof code === 'string' ? code : error instanceof Error ? error.message : 'error';
    if (lost === null) log?.error({ module: 'store', redis: redisTarget(url), reason: why }, 'Redis connection lost; VirusTotal requests wait until it is back');
    lost = `Redis unreachable (${why})`;
  });
  client.on('ready', () => {
    if (lost !== null) log?.info({ module: 'store', redis: redisTarget(url) }, 'Redis connection back');
    lost = null;
  });
  client.on('end', () => {
    lost ??= 'Redis connection closed';
  });
  await client.connect();
  connectedOnce = true;
  return { client, problem: () => (client.isReady ? null : (lost ?? 'Redis not ready')) };
}

function newClient(url: string, connectedOnce: () => boolean) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Before the first success: fail (start-up reports it). After: back off up to 2 s, for ever.
      reconnectStrategy: (retries: number, cause: Error) => (connectedOnce() ? Math.min(50 * 2 ** Math.min(retries, 6), 2000) : cause),
    },
  });
}
