/**
 * SHARDS=auto: the shard count Discord recommends, from `GET /gateway/bot` at DISCORD_API_URL like
 * every other Discord call (discord.js's own helper always asks discord.com, which a REST proxy or a
 * test double would not see).
 */
import { request } from 'undici';
import type { Config } from '../config.js';

/** Anything above this is not an answer we act on (Discord recommends one shard per ~1000 guilds). */
const MAX_RECOMMENDED = 4096;
/** The answer is a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** Asks Discord how many shards to run. Throws (with `code` like the client's login errors) when it cannot tell. */
export async function fetchShardCount(config: Config): Promise<number> {
  const signal = AbortSignal.timeout(config.discordLoginTimeoutMs);
  let statusCode: number;
  let text: string;
  try {
    const response = await request(`${config.discordApiUrl}/v10/gateway/bot`, {
      headers: { authorization: `Bot ${config.discordToken}`, accept: 'application/json' },
      signal,
    });
    statusCode = response.statusCode;
    text = await readCapped(response.body);
  } catch (error) {
    // Same shape as a login that timed out (src/discord/client.ts), so the entry gives the network hint.
    if (signal.aborted) throw Object.assign(new Error(`Discord did not answer within ${String(config.discordLoginTimeoutMs / 1000)} s`), { code: 'ETIMEDOUT' });
    throw error;
  }
  if (statusCode === 401) throw Object.assign(new Error('Discord refused the bot token'), { code: 'TokenInvalid' });
  if (statusCode !== 200) throw new Error(`Expected 200 from GET /gateway/bot for SHARDS=auto, got ${String(statusCode)}`);
  let shards: unknown;
  try {
    shards = (JSON.parse(text) as { shards?: unknown }).shards;
  } catch {
    throw new Error('Expected JSON from GET /gateway/bot for SHARDS=auto, got something else');
  }
  if (typeof shards !== 'number' || !Number.isInteger(shards) || shards < 1 || shards > MAX_RECOMMENDED) {
    throw new Error(`Expected a shard count from 1 to ${String(MAX_RECOMMENDED)} from GET /gateway/bot, got ${(JSON.stringify(shards) ?? 'none').slice(0, 40)}`);
  }
  return shards;
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`Expected a small answer from GET /gateway/bot, got more than ${String(MAX_BODY_BYTES)} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
