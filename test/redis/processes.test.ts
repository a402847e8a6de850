/**
 * Two bots on one Redis (as two processes), one Discord double and one VirusTotal double: they
 * share the cache and single-flight, keep together under one rate with priorities across both,
 * answer every message exactly once, and ride out a Redis restart without losing a job.
 */
import type { APIMessage } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED } from '../support/vt-double.js';
import { startRedisBots, until, type RedisBots } from '../support/redis-bots.js';

let bots: RedisBots | undefined;
afterEach(async () => {
  await bots?.close();
  bots = undefined;
});

const POLICY = { submitUrls: false, uploadFiles: false };
const FLAGGED = { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } };

function replies(b: RedisBots, messageId: string): number {
  return b.discord.messages(b.discord.channels.general).filter((m) => m.author.id === b.discord.botUser.id && m.message_reference?.message_id === messageId).length;
}

/** Sum of vtguard_autoscan_answers_total over its labels: message events scanned by that process. */
function answersCounted(metrics: string): number {
  return [...metrics.matchAll(/^vtguard_autoscan_answers_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe('two processes on one Redis', () => {
  it('a report fetched by one process is a cache hit for the other, one object asked on both at once costs one request, /vt quota counts both', async () => {
    bots = await startRedisBots();
    const [a, b] = bots.apps as [NonNullable<RedisBots['apps'][0]>, NonNullable<RedisBots['apps'][0]>];
    const hash = { kind: 'hash' as const, value: SEED.eicar.sha256 };
    const first = await a.ctx.scanner.scan(hash, { priority: 'command', policy: POLICY });
    const second = await b.ctx.scanner.scan(hash, { priority: 'command', policy: POLICY });
    expect(first).toMatchObject({ status: 'found', via: 'lookup' });
    expect(second).toMatchObject({ status: 'found', via: 'cache' });
    expect(bots.vt.requestsTo(/^\/api\/v3\/files\//).length).toBe(1);

    bots.vt.fault({ path: /\/domains\//, method: 'GET' }, { delayMs: 300 }, { delayMs: 300 });
    const domain = { kind: 'domain' as const, value: SEED.cleanDomain };
    const both = await Promise.all([a.ctx.scanner.scan(domain, { priority: 'command', policy: POLICY }), b.ctx.scanner.scan(domain, { priority: 'autoscan', policy: POLICY })]);
    expect(both.map((o) => o.status)).toEqual(['found', 'found']);
    expect(bots.vt.requestsTo(/^\/api\/v3\/domains\//).length).toBe(1);

    // `/vt quota`, on whichever process answers it, counts the requests of both.
    const { discord } = bots;
    const handle = await discord.runCommand({ member: discord.members.member, name: 'vt', subcommand: 'quota', options: {} });
    const call = await discord.waitFor((c) => discord.callsFor(handle).includes(c) && JSON.stringify(c.body).includes('VirusTotal quota'), 8000);
    expect(JSON.stringify(call.body)).toContain('**Today (UTC)**: 2/500 used');
  });

  it("stays under the rate together, serves a command before either backlog, and answers every message once", async () => {
    bots = await startRedisBots({ env: { VT_RATE_PER_MINUTE: '3' }, vt: { perWindow: 3, windowMs: 400 }, app: { quotaWindowMs: 400 } });
    const { discord, vt } = bots;
    for (let i = 0; i < 12; i++) vt.addDomain(`evil${String(i)}-drop.xyz`, FLAGGED);
    vt.addDomain('asked-drop.xyz', FLAGGED);
    const posted: APIMessage[] = [];
    for (let i = 0; i < 12; i++) posted.push(await discord.postMessage({ author: discord.members.member, content: `see evil${String(i)}-drop.xyz` }));
    await until(() => vt.requestsTo(/^\/api\/v3\/domains\//).length >= 3, 5000, 'the backlog to start');
    const before = vt.requestsTo(/^\/api\/v3\/domains\//).length;
    await discord.runCommand({ member: discord.members.member, name: 'vt', subcommand: 'domain', options: { domain: 'asked-drop.xyz' } });
    await until(() => posted.every((m) => replies(bots as RedisBots, m.id) >= 1), 15_000, 'every message to be answered');
    const order = vt.requestsTo(/^\/api\/v3\/domains\//).map((r) => r.path);
    const asked = order.indexOf('/api/v3/domains/asked-drop.xyz');
    // The command takes a slot within one rate window of arriving (its way through discord.js, the
    // member limit and the cache peek costs a slot or two on a loaded machine), far ahead of the
    // backlog's 9 others: without priorities it would be the last of the 13.
    expect(asked).toBeGreaterThanOrEqual(0);
    expect(asked).toBeLessThanOrEqual(before + 3);
    expect(order.length).toBe(13);
    expect(vt.violations).toBe(0);
    await new Promise((r) => setTimeout(r, 300)); // a second answer would come now
    expect(posted.map((m) => replies(bots as RedisBots, m.id))).toEqual(posted.map(() => 1));
    // Both processes received every message; together they scanned each once, not twice.
    const scanned = await Promise.all(bots.apps.map(async (app) => answersCounted(await app.ctx.metrics.render())));
    expect(scanned.reduce((x, y) => x + y, 0)).toBe(12);
  });

  it('rides out a Redis restart: /healthz says so, nothing is sent meanwhile, and the stored job is answered once after', async () => {
    bots = await startRedisBots({ aof: true, env: { HTTP_PORT: '0' } });
    const { discord, vt, redis } = bots;
    vt.addDomain('later-drop.xyz', FLAGGED);
    await bots.apps[0]?.ctx.store.settings.set(discord.guild.id, 'malicious_threshold', 2);
    // The look-up hangs long enough for Redis to go away under it.
    vt.fault({ path: /\/domains\//, method: 'GET' }, { status: 503, delayMs: 400 });
    const message = await discord.postMessage({ author: discord.members.member, content: 'see later-drop.xyz' });
    await until(() => vt.requestsTo(/^\/api\/v3\/domains\//).length >= 1, 5000, 'the look-up');
    await redis.stop();
    const health = async (port: number | undefined): Promise<{ status: number; body: string }> => {
      const res = await fetch(`http://127.0.0.1:${String(port)}/healthz`);
      return { status: res.status, body: await res.text() };
    };
    await until(async () => (await health(bots?.apps[0]?.httpPort)).status === 503, 5000, '/healthz to report Redis');
    expect((await health(bots.apps[0]?.httpPort)).body).toContain('Redis');
    const sentWhileDown = vt.requests.length;
    await new Promise((r) => setTimeout(r, 600));
    expect(vt.requests.length).toBe(sentWhileDown);
    await redis.restart();
    await until(async () => (await health(bots?.apps[0]?.httpPort)).status === 200, 10_000, '/healthz to recover');
    await until(() => replies(bots as RedisBots, message.id) >= 1, 15_000, 'the stored job to be answered');
    await new Promise((r) => setTimeout(r, 500));
    expect(replies(bots, message.id)).toBe(1);
    expect((await bots.apps[1]?.ctx.store.settings.get(discord.guild.id))?.maliciousThreshold).toBe(2);
    expect(bots.logs.flat().some((l) => l.msg === 'Redis connection lost; VirusTotal requests wait until it is back')).toBe(true);
  });
});
