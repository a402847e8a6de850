/**
 * Cached answers (`npm run bench`): `/vt hash` for a report the bot already has, through discord.js
 * and the doubles, timed from the interaction's dispatch on the gateway to the REST call carrying
 * the answer. Side by side, the floor: a bare discord.js handler that replies with a fixed embed.
 * Both run in this process against their own Discord double. Target: p99 under 20 ms.
 * A moderator runs the commands: member_rate (at most 100 per 10 minutes) would refuse an ordinary
 * member's hundreds of look-ups, and Manage Messages is exempt from it.
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { startBot } from '../test/support/bot.js';
import { startDiscordDouble, type DiscordDouble } from '../test/support/discord-double.js';
import { SEED } from '../test/support/vt-double.js';

const RUNS = Number(process.env.BENCH_COMMANDS ?? 300);
const WARMUP = 30;

/**
 * Milliseconds from the dispatch (the double handing INTERACTION_CREATE to the gateway socket) to
 * the arrival of the REST call carrying the answer, both stamped by the double, for `RUNS` commands
 * one after another. The wait for that call stays cheap (a path test): it shares the event loop.
 */
async function latencies(discord: DiscordDouble): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i += 1) {
    const handle = await discord.runCommand({ member: discord.members.moderator, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
    const answer = await discord.waitFor((c) => c.path.includes(handle.token) && JSON.stringify(c.body).includes('File · malicious'));
    if (i >= WARMUP) times.push(answer.arrivedAt - handle.dispatchedAt);
  }
  return times;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function floor(): Promise<number[]> {
  const discord = await startDiscordDouble();
  const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], rest: { api: discord.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    interaction.reply({ embeds: [{ title: 'File · malicious', description: '**59/69 engines** say malicious' }], allowedMentions: { parse: [] } }).catch(() => undefined);
  });
  try {
    await client.login(discord.token);
    await discord.ready();
    return await latencies(discord);
  } finally {
    await client.destroy();
    await discord.close();
  }
}

async function ours(): Promise<number[]> {
  const bot = await startBot({ env: { LOG_LEVEL: 'warn' } });
  try {
    return await latencies(bot.discord);
  } finally {
    await bot.close();
  }
}

export async function benchCached(): Promise<void> {
  const bare = (await floor()).sort((a, b) => a - b);
  const bot = (await ours()).sort((a, b) => a - b);
  const row = (t: number[]): Record<string, string> => ({ p50: `${percentile(t, 50).toFixed(1)} ms`, p99: `${percentile(t, 99).toFixed(1)} ms`, max: `${percentile(t, 100).toFixed(1)} ms` });
  console.log(`\nCached answers: /vt hash on a cached report, ${String(RUNS)} commands one after another (after ${String(WARMUP)} to warm up), dispatch → answer's REST call`);
  console.table({ 'bare discord.js, fixed embed (floor)': row(bare), 'vt-guard /vt hash, cached': row(bot) });
  const p99 = percentile(bot, 99);
  console.log(`p50 bot/floor: ${(percentile(bot, 50) / percentile(bare, 50)).toFixed(2)}x; p99 bot/floor: ${(p99 / percentile(bare, 99)).toFixed(2)}x; bot p99 under 20 ms: ${p99 < 20 ? 'yes' : 'NO'}`);
}
