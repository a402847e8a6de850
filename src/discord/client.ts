/**
 * The discord.js client: which intents and defaults the bot runs with, and a login that keeps slash
 * commands working when Discord refuses the privileged Message Content intent.
 */
import { Client, GatewayIntentBits, Options, Partials } from 'discord.js';
import type { Config } from '../config.js';
import { timerDelay } from '../core/timers.js';
import type { Logger } from '../log.js';

const BASE_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];

/**
 * Memory must not grow with chat history. discord.js keeps every message, author and member it
 * sees by default. The bot keeps no messages at all: everything it does with one happens while the
 * event is in hand, an edit or a late link preview is scanned again (the auto-scan's memory of what
 * it answered keeps that silent, see src/autoscan/listeners.ts), and a message a button acts on is
 * fetched. Kept messages were also what made a busy bot slow: held for a few hundred milliseconds
 * in a 1,000-channel flood, each survived the young-generation collections, so the old generation
 * grew by hundreds of megabytes and collected them all again (bench/firehose.ts: five per channel
 * ran at 0.75x a bare client and 360 MB; none at 1.0x and 185 MB). The bot's own user and member
 * stay cached: permission checks read them.
 */
export const MESSAGES_PER_CHANNEL = 0;
/**
 * Users and members kept: the people active lately. Below the number of people chatting, every
 * message evicts an author who is about to post again and rebuilds them (1,000 for 1,000 active
 * authors cost a quarter of a busy bot's gateway time); 10,000 take a few megabytes.
 */
const ACTIVE_MEMBERS = 10_000;
const isSelf = (entry: { id: string; client: Client }): boolean => entry.id === entry.client.user?.id;
const CACHE = Options.cacheWithLimits({
  ...Options.DefaultMakeCacheSettings,
  MessageManager: MESSAGES_PER_CHANNEL,
  UserManager: { maxSize: ACTIVE_MEMBERS, keepOverLimit: isSelf },
  // As many members as users: a member not cached is rebuilt from every message it sends.
  GuildMemberManager: { maxSize: ACTIVE_MEMBERS, keepOverLimit: isSelf },
  PresenceManager: 0,
  ReactionManager: 0,
});

/** Builds a client; `messageContent: false` leaves out the privileged intent. */
export function createDiscordClient(config: Config, messageContent = true): Client {
  return new Client({
    intents: messageContent ? [...BASE_INTENTS, GatewayIntentBits.MessageContent] : BASE_INTENTS,
    // Edits of messages sent before the bot started arrive as partials; fetch them when needed.
    partials: [Partials.Message, Partials.Channel],
    // Replies never ping: the default for every send, besides the explicit value on each reply.
    allowedMentions: { parse: [], repliedUser: false },
    // Discord's 5xx (and dropped connections) on a send or an edit are retried this many times, with
    // the same body, before the caller hears of it (test/discord/delivery-faults.test.ts proves it).
    rest: { api: config.discordApiUrl, retries: 3 },
    // SHARD_IDS + SHARD_COUNT, or the shard a ShardingManager child was given: Discord then sends
    // this connection only the events of guilds whose (guild_id >> 22) % count is one of `ids`.
    ...(config.sharding.mode === 'shards' ? { shards: [...config.sharding.ids], shardCount: config.sharding.count } : {}),
    makeCache: CACHE,
  });
}

export interface LoggedIn {
  client: Client;
  /** False when Discord refused the Message Content intent: auto-scan then sees no message text. */
  messageContent: boolean;
}

/**
 * Logs in; `wire` attaches listeners to the client before it connects (and to the replacement
 * client if the first login is refused for the Message Content intent).
 */
export async function loginDiscord(config: Config, log: Logger, wire: (client: Client) => void): Promise<LoggedIn> {
  const client = createDiscordClient(config, true);
  wire(client);
  try {
    await loginWithin(client, config.discordToken, config.discordLoginTimeoutMs);
    return { client, messageContent: true };
  } catch (error) {
    await client.destroy();
    if (!isDisallowedIntents(error)) throw error;
    log.error(
      'Discord refused the Message Content intent: enable "Message Content Intent" for this bot in the Discord developer portal (Applications → your bot → Bot → Privileged Gateway Intents) and restart. Slash commands keep working; auto-scan of message text is off until then.',
    );
    const fallback = createDiscordClient(config, false);
    wire(fallback);
    await loginWithin(fallback, config.discordToken, config.discordLoginTimeoutMs).catch(async (error: unknown) => {
      await fallback.destroy();
      throw error;
    });
    return { client: fallback, messageContent: false };
  }
}

/**
 * An unanswered connection would otherwise keep login waiting for discord.js's own retries (four
 * 15 s attempts) and end in a bare 'This operation was aborted'. The error carries ETIMEDOUT so the
 * process entry gives the network hint.
 */
async function loginWithin(client: Client, token: string, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`Discord did not answer within ${String(ms / 1000)} s`), { code: 'ETIMEDOUT' })), timerDelay(ms));
  });
  try {
    await Promise.race([client.login(token), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function isDisallowedIntents(error: unknown): boolean {
  return error instanceof Error && /disallowed intents/i.test(error.message);
}
