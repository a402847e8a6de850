/**
 * When the bot leaves a server (kicked, or the server deleted), that server's settings, votes,
 * audit trail and confirmed domains are deleted `history_days` later: a kick by mistake followed by
 * a re-invite loses nothing. The sweep runs at start and every hour; a server the bot is in again
 * is never swept.
 */
import { Events } from 'discord.js';
import type { Client, Guild } from 'discord.js';
import type { AppContext } from '../context.js';
import { timerDelay } from '../core/timers.js';

const SWEEP_EVERY_MS = 3_600_000;

/** Listens for leaving and re-joining; returns a function that stops the hourly sweep. */
export function watchDepartures(ctx: AppContext, client: Client): () => void {
  const log = ctx.log.child({ module: 'departures' });
  client.on(Events.GuildDelete, (guild: Guild) => {
    // An outage also removes a guild for a while (unavailable); only a real departure counts.
    if (!guild.available && client.guilds.cache.has(guild.id)) return;
    void noteDeparture(ctx, guild.id).catch((err: unknown) => log.warn({ err, guildId: guild.id }, 'could not note leaving a server'));
  });
  client.on(Events.GuildCreate, (guild: Guild) => {
    void ctx.store.departures.returned(guild.id).catch((err: unknown) => log.warn({ err, guildId: guild.id }, 'could not note re-joining a server'));
  });
  const timer = setInterval(() => void sweepDepartures(ctx, client).catch((err: unknown) => log.warn({ err }, 'departed-server sweep failed')), timerDelay(SWEEP_EVERY_MS));
  timer.unref();
  return () => clearInterval(timer);
}

async function noteDeparture(ctx: AppContext, guildId: string): Promise<void> {
  const { historyDays } = await ctx.store.settings.get(guildId);
  await ctx.store.departures.left(guildId, ctx.clock(), historyDays);
  ctx.log.info({ module: 'departures', guildId, historyDays }, 'left a server; its data is deleted after history_days');
}

/** Deletes the data of every server left more than its `history_days` ago; returns their ids. */
export async function sweepDepartures(ctx: AppContext, client: Client): Promise<string[]> {
  const swept: string[] = [];
  for (const guildId of await ctx.store.departures.due(ctx.clock())) {
    if (client.guilds.cache.has(guildId)) {
      await ctx.store.departures.returned(guildId);
      continue;
    }
    const votes = await ctx.store.votes.forget(guildId);
    await ctx.store.history.forget(guildId);
    await ctx.store.confirmed.forget(guildId);
    await ctx.store.settings.forget(guildId);
    await ctx.store.departures.returned(guildId);
    ctx.log.info({ module: 'departures', guildId, votes }, 'deleted the data of a server the bot left');
    swept.push(guildId);
  }
  return swept;
}
