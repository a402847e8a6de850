/**
 * Gateway firehose (`npm run bench`): ordinary chat across 1,000 channels, 3 % of it links to
 * allowlisted or cached sites, sent by the Discord double's gateway as fast as the client reads.
 * Side by side: the built bot with auto-scan on, and a bare discord.js client with the same intents
 * doing nothing. Figures: messages per second (bot ÷ bare, target ≥ 0.9), RSS after the run
 * (target ≤ 200 MB for the bot), and idle RSS right after start in one guild.
 * BENCH_MESSAGES sets the count (default 200,000); BENCH_ROUNDS how often the pair runs, alternating
 * (default 3; the best throughput of each counts, and the bot's highest RSS: on a shared machine
 * both see the same load, and the memory bound must hold every time).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDiscordDouble, type DiscordDouble } from '../test/support/discord-double.js';
import { startVtDouble, SEED } from '../test/support/vt-double.js';
import { stopChild } from '../test/support/stop-child.js';
import { botHeapMb, botReady, nextMessage, rssMb, spawnBare, spawnBot } from './processes.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const CHANNELS = 1000;
const AUTHORS = 1000;
const CHAT = ['lol same', 'anyone up for a game tonight?', 'that patch broke my build again', 'gg everyone', 'brb coffee', 'did you see the new trailer? looks great', 'ok I will check it after lunch'];
const LINKS = ['watch this https://www.youtube.com/watch?v=dQw4w9WgXcQ', `docs: ${SEED.cleanUrl}`, 'repo is at https://github.com/discordjs/discord.js'];
const FLAGGED_URL = 'https://evil-payload.xyz/drop.exe';
/** Discord's epoch, for ids that carry a plausible timestamp. */
const EPOCH = 1_420_070_400_000n;

function chatMessage(discord: DiscordDouble, i: number, base: bigint): unknown {
  const channel = discord.guild.extraChannels[i % CHANNELS] ?? discord.channels.general;
  const author = String(base + 5_000_000n + BigInt(i % AUTHORS));
  // 3 in every 100 messages carry a link.
  const content = i % 100 < 3 ? (LINKS[i % LINKS.length] ?? '') : (CHAT[i % CHAT.length] ?? '');
  return {
    id: String(base + BigInt(i)), channel_id: channel, guild_id: discord.guild.id, type: 0, content,
    author: { id: author, username: `user${String(i % AUTHORS)}`, discriminator: '0', global_name: null, avatar: null, bot: false },
    member: { roles: [], joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0, nick: null, avatar: null, banner: null, premium_since: null, pending: false, communication_disabled_until: null },
    timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [],
    attachments: [], embeds: [], components: [], pinned: false, flags: 0,
  };
}

interface Run { perSecond: number; rssAfter: number; rssIdle: number; heapAfter?: { used: number; total: number } }

/** The bot's operations port in the firehose run, for its heap figures. */
const BOT_HTTP_PORT = 39_000 + (process.pid % 1000);

async function runOne(kind: 'bot' | 'bare'): Promise<Run> {
  const discord = await startDiscordDouble({ extraChannels: CHANNELS, interactionAckTimeoutMs: Number.POSITIVE_INFINITY });
  const vt = await startVtDouble({ perWindow: 10_000, perDay: 1_000_000, pollsUntilComplete: 1 });
  vt.addUrl(FLAGGED_URL, { verdict: { malicious: 12, harmless: 50, undetected: 10, label: 'malware' } });
  const dir = await mkdtemp(join(tmpdir(), 'vt-guard-bench-'));
  // The last message is a flagged link in #general: the bot's reply to it marks the end of its work.
  const marker = MESSAGES;
  const child = kind === 'bot' ? spawnBot(discord, vt, dir, { HTTP_PORT: String(BOT_HTTP_PORT) }) : spawnBare(discord, MESSAGES + 1);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    if (kind === 'bot') await botReady(discord);
    else await nextMessage(child, 'ready', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssIdle = rssMb(child.pid);
    const base = (BigInt(Date.now()) - EPOCH) << 22n;
    const make = (i: number): unknown => i === marker
      ? { ...(chatMessage(discord, i, base) as object), channel_id: discord.channels.general, content: `last one ${FLAGGED_URL}` }
      : chatMessage(discord, i, base);
    const finished = kind === 'bot'
      ? discord.waitFor((c) => c.method === 'POST' && JSON.stringify(c.body).includes(String(base + BigInt(marker))), 600_000).then(() => undefined)
      : nextMessage(child, 'done', 600_000);
    const started = performance.now();
    await discord.gateway.firehose(MESSAGES + 1, make);
    await finished;
    const seconds = (performance.now() - started) / 1000;
    const rssAfter = rssMb(child.pid);
    return { perSecond: (MESSAGES + 1) / seconds, rssAfter, rssIdle, ...(kind === 'bot' ? { heapAfter: await botHeapMb(BOT_HTTP_PORT) } : {}) };
  } catch (error) {
    throw new Error(`${kind}: ${error instanceof Error ? error.message : String(error)}\n${stderr}`);
  } finally {
    await stopChild(child);
    await Promise.all([discord.close(), vt.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

/** RSS of the built bot 2 s after it connected to a guild of the usual size (3 channels, 5 members). */
async function idleInOneGuild(): Promise<number> {
  const discord = await startDiscordDouble();
  const vt = await startVtDouble();
  const dir = await mkdtemp(join(tmpdir(), 'vt-guard-bench-'));
  const child = spawnBot(discord, vt, dir);
  try {
    await botReady(discord);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return rssMb(child.pid);
  } finally {
    await stopChild(child);
    await Promise.all([discord.close(), vt.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchFirehose(): Promise<void> {
  const idle = await idleInOneGuild();
  const bares: Run[] = [];
  const bots: Run[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    bares.push(await runOne('bare'));
    bots.push(await runOne('bot'));
  }
  const fastest = (runs: Run[]): Run => runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  const bare = { ...fastest(bares), rssAfter: Math.max(...bares.map((r) => r.rssAfter)) };
  const bot = { ...fastest(bots), rssAfter: Math.max(...bots.map((r) => r.rssAfter)) };
  console.log(`\nGateway firehose: ${MESSAGES.toLocaleString('en')} messages across ${String(CHANNELS)} channels from ${String(AUTHORS)} authors, 3% links (allowlisted or cached); best of ${String(ROUNDS)} alternating rounds, highest RSS (BENCH_MESSAGES, BENCH_ROUNDS change them)`);
  console.log(`each round bot/bare: ${bots.map((b, i) => (b.perSecond / (bares[i]?.perSecond ?? Number.NaN)).toFixed(2)).join(', ')}`);
  const mb = (n: number): string => `${n.toFixed(0)} MB`;
  console.table({
    'bare discord.js (floor)': { 'messages/s': Math.round(bare.perSecond), 'RSS idle': mb(bare.rssIdle), 'RSS after': mb(bare.rssAfter) },
    'vt-guard, auto-scan on': { 'messages/s': Math.round(bot.perSecond), 'RSS idle': mb(bot.rssIdle), 'RSS after': mb(bot.rssAfter) },
  });
  const ratio = bot.perSecond / bare.perSecond;
  console.log(`throughput bot/bare: ${ratio.toFixed(2)}x (target ≥ 0.9: ${ratio >= 0.9 ? 'yes' : 'NO'}); bot RSS after ≤ 200 MB: ${bot.rssAfter <= 200 ? 'yes' : 'NO'}; idle RSS in one guild: ${mb(bot.rssIdle)}`);
  if (bot.heapAfter) console.log(`bot V8 heap after: ${mb(bot.heapAfter.used)} used of ${mb(bot.heapAfter.total)} (the rest of the RSS is code, buffers and free pages)`);
  console.log(`Idle: RSS of the bot 2 s after start in one ordinary guild (3 channels): ${mb(idle)}`);
}
