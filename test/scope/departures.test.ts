/** When the bot leaves a server, its settings, votes and history are deleted history_days later, not before. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBot, type Bot } from '../support/bot.js';

const DAY = 86_400_000;
let offset = 0;
let bot: Bot;
beforeAll(async () => {
  bot = await startBot({ discord: { secondGuild: true }, app: { clock: () => Date.now() + offset } });
});
afterAll(async () => bot.close());

it('keeps a departed server\'s data for history_days, deletes it after, and never touches a server the bot is still in', async () => {
  const { store } = bot.app.ctx;
  const gone = bot.discord.otherGuild.id;
  const stays = bot.discord.guild.id;
  for (const guildId of [gone, stays]) {
    await store.settings.set(guildId, 'history_days', 7);
    await store.settings.set(guildId, 'action', 'delete');
    await store.votes.cast(guildId, 'domain:bad.xyz', '123456789012345678', 'malicious');
    await store.history.record(guildId, { at: Date.now(), kind: 'vote', key: 'domain:bad.xyz', verdict: 'malicious' }, 7);
  }
  bot.discord.removeBot(gone);
  const deadline = Date.now() + 5000;
  while ((await store.departures.due(Date.now() + 8 * DAY)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(await store.departures.due(Date.now() + 8 * DAY)).toEqual([gone]);

  offset = 6 * DAY; // within history_days: a restart's sweep keeps everything
  await bot.restart();
  expect((await bot.app.ctx.store.settings.get(gone)).action).toBe('delete');

  offset = 8 * DAY;
  await bot.restart();
  const after = bot.app.ctx.store;
  expect((await after.settings.get(gone)).action).toBe('reply');
  expect(await after.votes.tally(gone, 'domain:bad.xyz')).toEqual({ malicious: 0, harmless: 0 });
  expect(await after.history.recent(gone, { days: 365, now: Date.now() + offset })).toEqual([]);
  expect((await after.settings.get(stays)).action).toBe('delete');
  expect(await after.votes.tally(stays, 'domain:bad.xyz')).toEqual({ malicious: 1, harmless: 0 });
  expect(await after.history.recent(stays, { days: 365, now: Date.now() })).toHaveLength(1);
  expect(bot.logs.some((l) => l.msg === 'deleted the data of a server the bot left' && l.guildId === gone)).toBe(true);
});
