/**
 * The gate against absurd waits: a hostile or broken Retry-After, a damaged stored pause, a window
 * longer than a timer can hold. Real gate, real store, real client against the VirusTotal double.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, timerDelay } from '../../src/core/timers.js';
import { VtClient } from '../../src/vt/client.js';
import { QuotaExhaustedError } from '../../src/vt/errors.js';
import { nextUtcDay, nextUtcMonth } from '../../src/vt/quota-state.js';
import { openTestGate, startGatedClient, type GatedClient, type TestGateOptions } from '../support/gate.js';
import { SEED } from '../support/vt-double.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(gateOptions: Partial<TestGateOptions>): Promise<GatedClient> {
  return startGatedClient(cleanups, gateOptions);
}

/** Collects the process warnings (Node's TimeoutOverflowWarning among them) while a test runs. */
function watchWarnings(): Error[] {
  const seen: Error[] = [];
  const listener = (warning: Error): void => { seen.push(warning); };
  process.on('warning', listener);
  cleanups.push(() => Promise.resolve(void process.off('warning', listener)));
  return seen;
}

const HUGE = { 'retry-after': '100000000' }; // seconds: about 3 years
const tooMany = { status: 429, headers: HUGE, body: { error: { code: 'TooManyRequestsError', message: 'slow down' } } };
const quotaExceeded = { status: 429, headers: HUGE, body: { error: { code: 'QuotaExceededError', message: 'quota' } } };

describe('QuotaGate bounds', () => {
  it('pauses at most one rate window on a 429 with Retry-After: 100000000, then retries', async () => {
    const warnings = watchWarnings();
    const { t, vt, client } = await setup({ windowMs: 300 });
    vt.fault({ path: /\/domains\// }, tooMany);
    const started = Date.now();
    const pending = client.getDomain(SEED.cleanDomain, { priority: 'command' });
    while (vt.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    const paused = (await t.gate.usage()).paused;
    expect(paused).toBeInstanceOf(Date);
    expect((paused?.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(300);
    expect((await pending).id).toBe(SEED.cleanDomain);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(vt.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
  });

  it('does not carry a 3-year pause across a restart', async () => {
    const { t, vt, client } = await setup({ windowMs: 300, retry: { attempts: 1 } });
    vt.fault({ path: /\/domains\// }, tooMany);
    await expect(client.getDomain(SEED.cleanDomain, { priority: 'command' })).rejects.toMatchObject({ status: 429 });
    await t.gate.close();
    await t.store.close();
    const reopened = await openTestGate({ windowMs: 300, storeDir: t.storeDir });
    cleanups.push(() => reopened.close());
    const again = new VtClient({ apiKey: vt.apiKey, origin: vt.origin, gate: reopened.gate });
    cleanups.push(() => again.close());
    const started = Date.now();
    expect((await again.getDomain(SEED.cleanDomain, { priority: 'command' })).id).toBe(SEED.cleanDomain);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('blocks a quota 429 with Retry-After: 100000000 at most until the next UTC month', async () => {
    const { t, vt, client } = await setup({ windowMs: 300 });
    vt.fault({ path: /\/domains\// }, quotaExceeded);
    const error = await client.getDomain(SEED.cleanDomain, { priority: 'command' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect(error).toMatchObject({ window: 'month' });
    expect((error as QuotaExhaustedError).resetAt.getTime()).toBe(nextUtcMonth(Date.now()));
    expect((await t.gate.usage()).month.resetAt.getTime()).toBe(nextUtcMonth(Date.now()));
  });

  it('ignores a stored pause longer than a window and a block past its reset, keeps one within bounds', async () => {
    const first = await openTestGate({ windowMs: 300 });
    cleanups.push(() => first.close());
    await first.gate.close();
    const now = Date.now();
    const day = new Date(now).toISOString();
    const state = {
      version: 1, day: { key: day.slice(0, 10), used: 0 }, month: { key: day.slice(0, 7), used: 0 }, sends: [Date.UTC(2030, 0, 1)],
      pausedUntil: Date.UTC(2030, 0, 1), blocked: { window: 'day', until: nextUtcDay(now) + 1 },
    };
    await first.store.quota.set('gate-state', state);
    const reopened = await openTestGate({ windowMs: 300, perMinute: 1, storeDir: first.storeDir });
    cleanups.push(() => reopened.close());
    expect(await reopened.gate.run(() => Promise.resolve('sent'), { priority: 'command' })).toBe('sent');
    expect((await reopened.gate.usage()).paused).toBeUndefined();
    await reopened.gate.close();

    await reopened.store.quota.set('gate-state', { ...state, sends: [], pausedUntil: 0, blocked: { window: 'day', until: nextUtcDay(now) } });
    const kept = await openTestGate({ windowMs: 300, storeDir: first.storeDir });
    cleanups.push(() => kept.close());
    await expect(kept.gate.run(() => Promise.resolve('sent'), { priority: 'command' })).rejects.toBeInstanceOf(QuotaExhaustedError);
  });

  it('never hands setTimeout a delay it cannot hold (a window longer than 24.8 days)', async () => {
    const warnings = watchWarnings();
    const { t } = await setup({ perMinute: 1, windowMs: 2 ** 32 });
    await t.gate.run(() => Promise.resolve(1), { priority: 'command' });
    const controller = new AbortController();
    const waiting = t.gate.run(() => Promise.resolve(2), { priority: 'command', signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
  });
});

describe('timerDelay', () => {
  it.each([[-5, 0], [Number.NaN, 0], [0, 0], [1500, 1500], [2 ** 31, MAX_TIMER_MS], [1e14, MAX_TIMER_MS], [Infinity, MAX_TIMER_MS]])('%d → %d', (ms, expected) => {
    expect(timerDelay(ms)).toBe(expected);
  });
});
