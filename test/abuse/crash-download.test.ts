/**
 * Faults: the bot process is killed (SIGKILL) while it downloads an attachment. The job was stored
 * before the download, with the attachment's reference, so the next process fetches the message
 * again for a fresh CDN link, downloads, scans and answers exactly once; the killed process's spool
 * folder is removed at start. Runs the built bot (`node dist/main.js`) against the doubles, with a
 * private TMPDIR so the spool folders are the test's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildEntry } from '../ops/built-process.js';
import { startDiscordDouble, type DiscordDouble } from '../support/discord-double.js';
import { startVtDouble, type VtDouble } from '../support/vt-double.js';
import { until as untilWithin } from '../support/wait.js';
import { doublesEnv } from '../support/doubles-env.js';

/** 64 KiB sent 1 KiB every 100 ms: a download of about six seconds, easy to kill in the middle. */
const FILE = randomBytes(64 * 1024);

let built: ReturnType<typeof buildEntry>;
let discord: DiscordDouble;
let vt: VtDouble;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  built = buildEntry();
  discord = await startDiscordDouble({ cdn: { chunkSize: 1024, chunkDelayMs: 100 } });
  vt = await startVtDouble({ perWindow: 10_000, pollsUntilComplete: 1 });
  vt.addFile({ content: FILE, name: 'invoice.pdf.exe', verdict: { malicious: 30, undetected: 40, label: 'trojan' } });
  dir = mkdtempSync(join(tmpdir(), 'vt-guard-crash-'));
  mkdirSync(join(dir, 'tmp'));
}, 90_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all([discord.close(), vt.close()]);
  built.remove();
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  out: () => string;
}

/** Starts the built bot on the shared store and waits until it is logged in. */
async function startProcess(): Promise<Running> {
  const tmp = join(dir, 'tmp');
  const child = spawn(process.execPath, [built.entry], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '', TMPDIR: tmp,
      ...doublesEnv(discord, vt),
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
      VT_RATE_PER_MINUTE: '10000', VT_POLL_MS: '10', MAX_FILE_MB: '1', LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await until(() => out.includes('"connected to Discord"'), 'the bot to log in', 20_000).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${out}`);
  });
  return { child, out: () => out };
}

const spoolFolders = (): string[] => readdirSync(join(dir, 'tmp')).filter((n) => /^vt-guard-[A-Za-z0-9]{6}$/.test(n));

/** This file's waits span whole process restarts or a flood: longer than the default. */
const until = (check: () => Promise<boolean> | boolean, what: string, ms = 15_000): Promise<void> => untilWithin(check, what, ms);

it('answers exactly once after a crash in the middle of a download, and removes the spool left behind', { timeout: 90_000 }, async () => {
  const first = await startProcess();
  const posted = await discord.postMessage({ author: discord.members.member, content: 'the invoice', attachments: [{ filename: 'invoice.pdf.exe', bytes: FILE }] });
  const attachmentPath = new URL(posted.attachments[0]?.url ?? '').pathname;
  await until(() => discord.cdnHits.some((h) => h.path === attachmentPath && h.bytesSent >= 8 * 1024), 'the download to be under way');
  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));
  const leftover = spoolFolders();
  expect(leftover).toHaveLength(1);
  const mine = (m: { author: { id: string }; message_reference?: { message_id?: string } }): boolean => m.author.id === discord.botUser.id && m.message_reference?.message_id === posted.id;
  expect(discord.messages(discord.channels.general).filter(mine)).toHaveLength(0);

  discord.cdnOptions.chunkDelayMs = 0;
  const restFetchesBefore = discord.calls.filter((c) => c.method === 'GET' && c.path === `/channels/${posted.channel_id}/messages/${posted.id}`).length;
  const second = await startProcess();
  await until(() => discord.messages(discord.channels.general).some(mine), 'the resumed job to answer');
  // Give a second answer (if any) the time to arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(discord.messages(discord.channels.general).filter(mine)).toHaveLength(1);
  // The resume asked Discord for the message again (fresh CDN links) and downloaded the whole file.
  expect(discord.calls.filter((c) => c.method === 'GET' && c.path === `/channels/${posted.channel_id}/messages/${posted.id}`).length).toBeGreaterThan(restFetchesBefore);
  expect(discord.cdnHits.some((h) => h.path === attachmentPath && h.bytesSent === FILE.length && !h.aborted)).toBe(true);
  // The killed process's spool folder is gone; the new one discarded its own after the scan.
  expect(existsSync(join(dir, 'tmp', leftover[0] ?? ''))).toBe(false);
  expect(second.out()).toContain('removed attachment spool folders left by an earlier run');
  expect(spoolFolders()).toHaveLength(0);
  second.child.kill('SIGTERM');
  await new Promise((resolve) => second.child.once('exit', resolve));
});
