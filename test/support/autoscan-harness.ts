/**
 * The bot of test/support/bot.ts plus what auto-scan tests need: guild settings, waiting until a
 * message's scans are over, and the bot's replies to a message.
 */
import { Events, type APIMessage, type Client, type Message, type PartialMessage } from 'discord.js';
import type { App } from '../../src/app.js';
import type { SettingName, SettingValue } from '../../src/store/setting-values.js';
import { startBot, type BotOptions } from './bot.js';
import type { DiscordDouble } from './discord-double.js';
import type { VtDouble } from './vt-double.js';

export interface Harness {
  discord: DiscordDouble;
  vt: VtDouble;
  app: App;
  /** Parsed log lines of every bot started by this harness. */
  logs: Record<string, unknown>[];
  set<N extends SettingName>(name: N, value: SettingValue<N>): Promise<void>;
  /** Waits until the bot has seen `message` (as posted or edited) and every auto-scan is over. */
  settled(message: APIMessage): Promise<void>;
  /** Bot messages in a channel that reply to `messageId`. */
  repliesTo(messageId: string, channelId?: string): APIMessage[];
  /** Stops the bot (as a crash would, jobs stay stored) and starts a new one on the same store. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const urlsOf = (embeds: readonly { url?: string | null | undefined }[]): string => embeds.map((e) => e.url ?? '').join(' ');

/**
 * What the bot's client last saw of each message (content and preview URLs). The bot keeps no
 * messages, so the harness listens itself; its listener runs after the bot's, which has then
 * started the message's auto-scan.
 */
function watchMessages(client: Client | undefined, seen: Map<string, string>): void {
  const note = (m: Message | PartialMessage): void => {
    if (!m.partial) seen.set(m.id, `${m.content}\n${urlsOf(m.embeds)}`);
  };
  client?.on(Events.MessageCreate, note);
  client?.on(Events.MessageUpdate, (_before, after) => note(after));
}

export async function startHarness(options: BotOptions = {}): Promise<Harness> {
  const bot = await startBot(options);
  const { discord } = bot;
  const seen = new Map<string, string>();
  watchMessages(bot.app.client, seen);
  const h: Harness = {
    ...bot,
    get app() {
      return bot.app;
    },
    async set(name, value) {
      await bot.app.ctx.store.settings.set(discord.guild.id, name, value);
    },
    async settled(message) {
      const client = bot.app.client;
      if (!client) throw new Error('Expected a started bot');
      const deadline = Date.now() + 5_000;
      const expected = `${message.content}\n${urlsOf(message.embeds)}`;
      const wasSeen = (): boolean => seen.get(message.id) === expected;
      while (!wasSeen()) {
        if (Date.now() > deadline) throw new Error(`Expected the bot to see message ${message.id}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await bot.app.autoScan?.idle();
    },
    repliesTo(messageId, channelId = discord.channels.general) {
      return discord.messages(channelId).filter((m) => m.author.id === discord.botUser.id && m.message_reference?.message_id === messageId);
    },
    async restart() {
      await bot.restart();
      watchMessages(bot.app.client, seen);
    },
    close: () => bot.close(),
  };
  return h;
}
