/**
 * The bot as a whole: login, intents, the Message Content fallback, Discord's rate limits, the
 * health endpoint, and the process entry's graceful stop on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GatewayDispatchEvents } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type Bot } from './support/bot.js';
import { startDiscordDouble } from './support/discord-double.js';
import { SEED, startVtDouble } from './support/vt-double.js';

const GUILDS = 1 << 0;
const GUILD_MESSAGES = 1 << 9;
const MESSAGE_CONTENT = 1 << 15;

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe('the running bot', () => {
  it('logs in with the Guilds, GuildMessages and MessageContent intents and registers its commands', async () => {
    bot = await startBot();
    expect(bot.discord.identifyPayload?.intents).toBe(GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT);
    const names = bot.discord.registeredCommands.map((c) => c.name).sort();
    expect(names).toEqual(['Scan with VirusTotal', 'vt', 'vt-config']);
    expect(bot.app.client?.isReady()).toBe(true);
  });

  it('registers its commands in DEV_GUILD_ID only, when set', async () => {
    bot = await startBot({ env: (discord) => ({ DEV_GUILD_ID: discord.guild.id }) });
    expect(bot.discord.globalCommands).toHaveLength(0);
    expect(bot.discord.guildCommands.map((c) => c.name).sort()).toEqual(['Scan with VirusTotal', 'vt', 'vt-config']);
  });

  it('keeps slash commands working when Discord refuses the Message Content intent, and says how to fix it', async () => {
    bot = await startBot({ discord: { rejectPrivilegedIntents: true } });
    const refusal = bot.logs.filter((l) => String(l.msg).includes('Message Content Intent'));
    expect(refusal).toHaveLength(1);
    expect(refusal[0]?.level).toBe(50);
    expect(bot.discord.identifyPayload?.intents).toBe(GUILDS | GUILD_MESSAGES);
    const handle = await bot.discord.runCommand({ member: bot.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
    const edit = await bot.discord.waitFor((c) => bot?.discord.callsFor(handle).includes(c) === true && JSON.stringify(c.body).includes('59/69'), 8000);
    expect(edit.method).toBe('PATCH');
  });

  it('retries a message Discord rate-limited (429) and answers once', async () => {
    bot = await startBot();
    const { discord } = bot;
    discord.rateLimitNext({ method: 'POST', path: `/channels/${discord.channels.general}/messages`, times: 1, retryAfter: 0.1 });
    const posted = await discord.postMessage({ author: discord.members.member, content: `look ${SEED.eicar.sha256}` });
    await discord.waitFor((c) => c.method === 'POST' && c.path === `/channels/${discord.channels.general}/messages` && c.status === 200, 8000);
    const attempts = discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${discord.channels.general}/messages`);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    const replies = discord.messages(discord.channels.general).filter((m) => m.message_reference?.message_id === posted.id);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.embeds)).toContain('59/69');
  });

  it('serves /healthz and /metrics when HTTP_PORT is set', async () => {
    bot = await startBot({ env: { HTTP_PORT: '0' } });
    const base = `http://127.0.0.1:${String(bot.app.httpPort)}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('vtguard_vt_queue_length');
  });

  it('keeps the health server on loopback and guards /metrics with STATUS_TOKEN when set', async () => {
    const token = 'status-token-for-this-test';
    bot = await startBot({ env: { HTTP_PORT: '0', STATUS_TOKEN: token } });
    const base = `http://127.0.0.1:${String(bot.app.httpPort)}`;
    expect(bot.logs.find((l) => l.msg === 'health server listening')).toMatchObject({ host: '127.0.0.1' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(await metrics.text()).toContain('vtguard_vt_queue_length');
    expect(JSON.stringify(bot.logs)).not.toContain(token);
  });
});

describe('the process', () => {
  it('runs from main.ts, survives malformed gateway payloads, and stops gracefully on SIGTERM', async () => {
    const discord = await startDiscordDouble();
    const vt = await startVtDouble();
    const dir = await mkdtemp(join(tmpdir(), 'vt-guard-process-'));
    try {
      const tsx = pathToFileURL(join(import.meta.dirname, '../node_modules/tsx/dist/esm/index.mjs')).href;
      const child = spawn(process.execPath, ['--import', tsx, join(import.meta.dirname, '../src/main.ts')], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          DISCORD_TOKEN: discord.token,
          VT_API_KEY: vt.apiKey,
          VT_API_URL: vt.origin,
          DISCORD_API_URL: discord.apiUrl,
          STORE_URL: 'sqlite://data/bot.sqlite',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const deadline = Date.now() + 20_000;
      while (!out.includes('connected to Discord')) {
        if (Date.now() > deadline) throw new Error(`bot did not connect:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // discord.js throws on malformed gateway payloads inside its own packet handler; the
      // process-level guard logs them with a reference id and the bot keeps answering.
      const general = discord.channels.general;
      discord.gateway.dispatch(GatewayDispatchEvents.MessageCreate, { id: '1', channel_id: general, guild_id: discord.guild.id, author: { id: '9', username: 'x' }, content: 'x', embeds: null });
      discord.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, { id: '4', type: 3, token: 't', data: null });
      const posted = await discord.postMessage({ author: discord.members.member, content: `still here? ${SEED.eicar.sha256}` });
      await discord.waitFor((c) => c.method === 'POST' && JSON.stringify(c.body ?? '').includes(posted.id), 10_000);
      expect(out).toMatch(/"refId":"[0-9a-f]{8}".*"msg":"unhandled rejection \(kept running\)"/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('"msg":"stopped"');
      expect(out).not.toContain(vt.apiKey);
      expect(out).not.toContain(discord.token);
    } finally {
      await Promise.all([discord.close(), vt.close()]);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
