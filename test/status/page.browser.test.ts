/**
 * The status page as its owner sees it: the real bot, real headless Chromium (Debian's package,
 * driven by playwright-core), a phone-sized window. The gauges must show what `/vt quota` says, the
 * queue chart must have points, a reference id a member was shown must be listed, and nothing may
 * be fetched from anywhere but the bot. A screenshot is saved under test-artifacts/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBot, type Bot } from '../support/bot.js';
import { messageOf } from '../support/command-harness.js';
import { SEED } from '../support/vt-double.js';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'status-page-token-0123456789';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let bot: Bot;
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  bot = await startBot({ env: { HTTP_PORT: '0', STATUS_TOKEN: TOKEN, VT_RATE_PER_MINUTE: '20' }, app: { statusSampleMs: 100 } });
  profile = await mkdtemp(join(tmpdir(), 'vt-guard-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 390, height: 844 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await bot?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

/** Runs `/vt <sub>` as a member and resolves with the first message body the bot sent for it. */
async function command(sub: string, options: Record<string, string>, match: (text: string) => boolean): Promise<string> {
  const handle = await bot.discord.runCommand({ member: bot.discord.members.member, name: 'vt', subcommand: sub, options });
  const call = await bot.discord.waitFor((c) => bot.discord.callsFor(handle).includes(c) && match(JSON.stringify(messageOf(c.body))), 10_000);
  return JSON.stringify(messageOf(call.body));
}

it('shows the quota /vt quota shows, a queue chart with points, verdicts, the hit ratio and the ref id a member saw', async () => {
  await command('hash', { hash: SEED.eicar.sha256 }, (t) => t.includes('File · malicious'));
  await command('hash', { hash: SEED.eicar.sha256 }, (t) => t.includes('File · malicious')); // a cache hit
  await command('domain', { domain: SEED.cleanDomain }, (t) => t.includes('Domain · clean'));
  // Discord refuses the first answer: the presenter shows the member a reference id.
  bot.discord.failNext({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, times: 1, status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
  const failure = await command('quota', {}, (t) => t.includes('ref `'));
  const refId = /ref `([0-9a-f]{8})`/.exec(failure)?.[1];
  expect(refId).toBeDefined();

  const quota = await command('quota', {}, (t) => t.includes('This minute'));
  const said = (name: string): string => {
    const m = new RegExp(`\\*\\*${name}\\*\\*: (\\d+)/(\\d+) used`).exec(quota);
    if (m === null) throw new Error(`no ${name} in ${quota}`);
    return `${m[1]} / ${m[2]}`;
  };
  await new Promise((r) => setTimeout(r, 400)); // a few queue samples after the scans

  const page = await browser.newPage();
  const origins = new Set<string>();
  page.on('request', (req) => origins.add(new URL(req.url()).origin));
  const base = `http://127.0.0.1:${String(bot.app.httpPort)}`;
  const response = await page.goto(`${base}/?token=${TOKEN}`);
  expect(response?.status()).toBe(200);

  // The numbers a person reads under each gauge are the ones /vt quota gave.
  expect(await page.locator('[data-window=minute] .gauge-value').innerText()).toBe(said('This minute'));
  expect(await page.locator('[data-window=day] .gauge-value').innerText()).toBe(said('Today \\(UTC\\)'));
  expect(await page.locator('[data-window=month] .gauge-value').innerText()).toBe(said('This month \\(UTC\\)'));
  expect(said('This minute')).toBe('2 / 20'); // eicar once (then cached) and the domain
  expect(await page.locator('[data-window=minute] svg path').count()).toBe(2); // the track and the filled arc

  const depthPoints = (await page.locator('polyline[data-series=depth]').getAttribute('points'))?.trim().split(/\s+/) ?? [];
  expect(depthPoints.length).toBeGreaterThanOrEqual(3);
  const waitPoints = (await page.locator('polyline[data-series=wait]').getAttribute('points'))?.trim().split(/\s+/) ?? [];
  expect(waitPoints.length).toBe(depthPoints.length);

  expect(await page.locator('#verdicts tr[data-verdict=malicious] .count').innerText()).toBe('2');
  expect(await page.locator('#verdicts tr[data-verdict=clean] .count').innerText()).toBe('1');
  expect(await page.locator('#hit-ratio').innerText()).toBe('33 %'); // three look-ups, one answered by the cache
  expect(await page.locator('#errors').innerText()).toContain(refId ?? 'missing');
  expect(await page.locator('#errors').innerText()).toContain('interactions /vt quota');

  // Readable on a phone: nothing wider than the screen. Nothing fetched from elsewhere.
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect([...origins]).toEqual([base]);
  const html = await page.content();
  for (const secret of [bot.discord.members.member.id, bot.discord.guild.id, TOKEN]) expect(html).not.toContain(secret);
  expect(await page.locator('meta[http-equiv=refresh]').getAttribute('content')).toMatch(/^\d+$/);

  await mkdir('test-artifacts', { recursive: true });
  await page.screenshot({ path: 'test-artifacts/status-page.png', fullPage: true });
}, 60_000);

it('refuses the page without the token', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`http://127.0.0.1:${String(bot.app.httpPort)}/`);
  expect(response?.status()).toBe(401);
  expect(await page.locator('body').innerText()).not.toContain('quota');
});
