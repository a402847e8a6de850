/**
 * The bot of test/support/bot.ts plus what auto-scan tests need: guild settings, waiting until a
 * message's scans are over, and the bot's replies to a message.
 */
import type { APIMessage } from 'discord.js';
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

export async function startHarness(options: BotOptions = {}): Promise<Harness> {
  const bot = await startBot(options);
  const { discord } = bot;
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
      // discord.js caches (or patches) the message before it emits the event our listener handles.
      const seen = (): boolean => {
        const channel = client.channels.cache.get(message.channel_id);
        const cached = channel?.isTextBased() === true ? channel.messages.cache.get(message.id) : undefined;
        const urls = (embeds: readonly { url?: string | null | undefined }[]): string => embeds.map((e) => e.url ?? '').join(' ');
        return cached !== undefined && cached.content === message.content && urls(cached.embeds) === urls(message.embeds);
      };
      while (!seen()) {
        if (Date.now() > deadline) throw new Error(`Expected the bot to see message ${message.id}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await bot.app.autoScan?.idle();
    },
    repliesTo(messageId, channelId = discord.channels.general) {
      return discord.messages(channelId).filter((m) => m.author.id === discord.botUser.id && m.message_reference?.message_id === messageId);
    },
    restart: () => bot.restart(),
    close: () => bot.close(),
  };
  return h;
}
