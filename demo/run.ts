/**
 * `npm run demo`: the real bot process (`node dist/main.js`, unmodified) against the project's own
 * Discord and VirusTotal doubles on loopback, with a short scripted chat. It prints what members
 * post and what the bot answers, then stops the bot and removes its temporary store. No account,
 * token or key is needed: both doubles accept the made-up credentials handed to the bot here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { startDiscordDouble, type DiscordDouble, type InteractionHandle } from '../test/support/discord-double.js';
import { startVtDouble, EICAR, SEED, type VtDouble } from '../test/support/vt-double.js';
import { botLines, memberLine, type Said } from './transcript.js';
import { doublesEnv } from '../test/support/doubles-env.js';
import { stopChild } from '../test/support/stop-child.js';

const root = join(import.meta.dirname, '..');
/** The demo must end by itself: every wait has a deadline and the whole run has one too. */
const STEP_MS = 10_000;
const TOTAL_MS = 45_000;
const PHISHING_URL = 'https://discord-nitro-gift.xyz/claim';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

async function until<T>(what: string, read: () => T | undefined, timeoutMs = STEP_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`the demo waited ${String(timeoutMs)} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The final answer to a member's message: the bot's reply once it carries a verdict. */
function verdictReplyTo(discord: DiscordDouble, posted: APIMessage): Promise<APIMessage> {
  return until(`the bot's answer to "${posted.content}"`, () => discord.messages(posted.channel_id)
    .find((m) => m.author.id === discord.botUser.id && m.message_reference?.message_id === posted.id && / · (malicious|suspicious|clean|unknown)$/.test(m.embeds[0]?.title ?? '')));
}

/** The message fields of an interaction callback (`{ type, data }`) or of a webhook edit. */
function said(body: unknown): Said {
  const b = (body ?? {}) as Said & { type?: number; data?: Said };
  return b.data !== undefined && typeof b.type === 'number' ? b.data : b;
}

function answerTo(discord: DiscordDouble, handle: InteractionHandle, accept: (s: Said) => boolean): Promise<Said> {
  return until('the bot to answer an interaction', () => discord.callsFor(handle).map((c) => said(c.body)).find(accept));
}

function startBotProcess(discord: DiscordDouble, vt: VtDouble, dir: string): ChildProcess {
  const entry = process.env.DEMO_BOT_ENTRY ?? join(root, 'dist', 'main.js');
  return spawn(process.execPath, [entry], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      ...doublesEnv(discord, vt),
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
      VT_RATE_PER_MINUTE: '1000',
      VT_POLL_MS: '200',
      DISCORD_LOGIN_TIMEOUT_SECONDS: '15',
      LOG_LEVEL: 'warn',
    },
  });
}

async function chat(discord: DiscordDouble): Promise<void> {
  const { member, moderator, admin } = discord.members;
  const who = { member: 'Alex (member)', moderator: 'Sam (moderator)', admin: 'Kim (admin)' };

  print(memberLine(who.admin, '/vt-config set setting:report_clean value:on'));
  const config = await discord.runCommand({ member: admin, name: 'vt-config', subcommand: 'set', options: { setting: 'report_clean', value: 'on' } });
  for (const line of botLines(await answerTo(discord, config, (s) => s.content !== undefined || s.embeds !== undefined))) print(line);

  for (const content of [`morning all, the docs are at ${SEED.cleanUrl}`, 'FREE NITRO for everyone → hxxps://discord-nitro-gift[.]xyz/claim']) {
    print(memberLine(who.member, content));
    const posted = await discord.postMessage({ author: member, content });
    for (const line of botLines(await verdictReplyTo(discord, posted))) print(line);
  }

  print(memberLine(who.member, 'my AV deleted this, is it really bad? [attached: eicar.com]'));
  const withFile = await discord.postMessage({ author: member, content: 'my AV deleted this, is it really bad?', attachments: [{ filename: 'eicar.com', bytes: Buffer.from(EICAR) }] });
  const fileAnswer = await verdictReplyTo(discord, withFile);
  for (const line of botLines(fileAnswer)) print(line);

  print(memberLine(who.member, `/vt url url:${SEED.maliciousUrl}`));
  const lookup = await discord.runCommand({ member, name: 'vt', subcommand: 'url', options: { url: SEED.maliciousUrl } });
  for (const line of botLines(await answerTo(discord, lookup, (s) => / · (malicious|suspicious|clean|unknown)$/.test(s.embeds?.[0]?.title ?? '')))) print(line);

  const buttons = (fileAnswer.components?.[0] as { components?: { custom_id?: string; label?: string }[] } | undefined)?.components ?? [];
  const vote = buttons.find((b) => b.label === 'Vote malicious')?.custom_id;
  if (vote === undefined) throw new Error('the answer about eicar.com has no "Vote malicious" button');
  print(memberLine(who.moderator, '[presses "Vote malicious" on the answer about eicar.com]'));
  const press = await discord.pressButton({ member: moderator, message: fileAnswer.id, customId: vote });
  for (const line of botLines(await answerTo(discord, press, (s) => s.content?.includes('Recorded') === true || s.content?.includes('forwarded') === true))) print(line);
  const tally = await until('the tally on the answer', () => discord.message(fileAnswer.id)?.message.embeds[0]?.fields?.find((f) => f.name === 'Moderator votes' && f.value.startsWith('1 malicious')));
  print(`  ${'bot (edits its answer)'.padEnd(20)} Moderator votes: ${tally.value}`);
}

async function main(): Promise<number> {
  const discord = await startDiscordDouble();
  const vt = await startVtDouble({ perWindow: 1000, pollsUntilComplete: 1 });
  vt.addUrl(PHISHING_URL, { verdict: { malicious: 17, suspicious: 3, harmless: 48, undetected: 10, label: 'phishing' }, title: 'Discord Nitro' });
  const dir = await mkdtemp(join(tmpdir(), 'vt-guard-demo-'));
  const bot = startBotProcess(discord, vt, dir);
  let botOutput = '';
  bot.stdout?.on('data', (chunk: Buffer) => (botOutput += chunk.toString()));
  bot.stderr?.on('data', (chunk: Buffer) => (botOutput += chunk.toString()));
  const overall = setTimeout(() => {
    process.stderr.write(`demo: no end after ${String(TOTAL_MS / 1000)} s; stopping\n${botOutput}`);
    bot.kill('SIGKILL');
    process.exit(1);
  }, TOTAL_MS);
  try {
    print(`vt-guard demo: the real bot (pid ${String(bot.pid)}) on a loopback Discord (${discord.origin}) and VirusTotal (${vt.origin})`);
    await discord.ready(20_000);
    await until('the slash commands', () => (['vt', 'vt-config'].every((n) => discord.registeredCommands.some((c) => c.name === n)) ? true : undefined), 20_000);
    print(`logged in as ${discord.botUser.username} in "${discord.guild.name}", #general:`);
    await chat(discord);
    print('\nThat was the real bot. To run it on your server: see "Set up and run" in README.md.');
    return 0;
  } catch (error) {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n--- bot output ---\n${botOutput}\n`);
    return 1;
  } finally {
    clearTimeout(overall);
    await stopChild(bot);
    await Promise.all([discord.close(), vt.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
