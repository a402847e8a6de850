/**
 * The built process (`node dist/main.js`) at start-up: a first run without settings, a bot token
 * Discord refuses, and a Discord that cannot be reached. Exit 2 means "fix the configuration" (a
 * supervisor must not restart it in a loop); exit 1 means "something outside failed".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { startDiscordDouble } from '../support/discord-double.js';
import { buildEntry, runEntry } from './built-process.js';

const BOT_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAw.GaBcDe.wrong-token-0123456789abcdefghijklm';
const VT_KEY = 'f'.repeat(64);

let built: ReturnType<typeof buildEntry>;
let cwd: string;
beforeAll(() => {
  built = buildEntry();
}, 60_000);
afterAll(() => built.remove());
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'vt-guard-ops-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

/** Settings that get as far as logging in to `discordApiUrl`, and no further. */
const env = (discordApiUrl: string, token = BOT_TOKEN): Record<string, string> => ({
  DISCORD_TOKEN: token,
  VT_API_KEY: VT_KEY,
  VT_API_URL: 'http://127.0.0.1:9',
  DISCORD_API_URL: discordApiUrl,
  DISCORD_LOGIN_TIMEOUT_SECONDS: '2',
});

const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

describe('the first run', () => {
  it('without a token and key, says in a few lines what to put in .env and where to get it, and exits 2', async () => {
    const run = await runEntry(built.entry, cwd, {});
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const help = lines(run.stderr);
    expect(help.length).toBeGreaterThanOrEqual(3);
    expect(help.length).toBeLessThanOrEqual(6);
    expect(run.stderr).toContain(`.env in ${cwd}`);
    expect(run.stderr).toMatch(/^\s+DISCORD_TOKEN=.*discord\.com\/developers\/applications/m);
    expect(run.stderr).toMatch(/^\s+VT_API_KEY=.*virustotal\.com/m);
    expect(run.stderr).toContain('.env.example');
    expect(run.stderr).toContain('npm start');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a bot token Discord refuses', () => {
  it('exits 2 with one line naming DISCORD_TOKEN, and never prints the token', async () => {
    const discord = await startDiscordDouble();
    try {
      const run = await runEntry(built.entry, cwd, env(discord.apiUrl));
      expect(run.code).toBe(2);
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr).toMatch(/^vt-guard: Discord refused the bot token \(401 Unauthorized\).*DISCORD_TOKEN/);
      expect(run.stdout + run.stderr).not.toContain(BOT_TOKEN);
      expect(run.stdout).not.toContain('"level":60');
      // The double really answered the login with 401.
      expect(discord.calls.filter((c) => c.path === '/gateway/bot').map((c) => c.status)).toContain(401);
    } finally {
      await discord.close();
    }
  });
});

describe('a Discord that cannot be reached', () => {
  it('that accepts the connection and never answers: exits 1 within the login deadline, with the network hint', async () => {
    const held: Socket[] = [];
    const silent: Server = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const run = await runEntry(built.entry, cwd, env(`http://127.0.0.1:${String(port)}/api`));
      expect(held.length).toBeGreaterThan(0);
      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toEqual([`vt-guard: could not reach Discord at 127.0.0.1:${String(port)} (ETIMEDOUT): check the network, firewall or proxy, and DISCORD_API_URL`]);
      expect(run.stderr).not.toContain('This operation was aborted');
      expect(run.stdout).toContain('"level":60');
      expect(run.ms).toBeLessThan(12_000);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('that refuses the connection: exits 1 with the network hint', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const run = await runEntry(built.entry, cwd, env(`http://127.0.0.1:${String(port)}/api`));
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([`vt-guard: could not reach Discord at 127.0.0.1:${String(port)} (ECONNREFUSED): check the network, firewall or proxy, and DISCORD_API_URL`]);
  });
});
