import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { QueueHistory } from '../../src/status/queue-history.js';
import { RecentErrors, type RecentError } from '../../src/status/recent-errors.js';

const discard = (): Writable => new Writable({ write: (_chunk, _enc, done) => done() });

describe('reference ids from the log', () => {
  it('records each logged refId with where it came from, and nothing of the message or error', () => {
    const seen: RecentError[] = [];
    const log = createLogger({ level: 'info', secrets: [], destination: discard(), onReference: (r) => seen.push(r) });
    log.child({ module: 'autoscan', guildId: '123456789012345678' }).error({ entry: 'resume', refId: 'abcd1234', err: new Error('user text here') }, 'auto-scan failed');
    log.error({ module: 'interactions', interaction: '/vt hash', userId: '42', refId: 'beef0001' }, 'interaction failed');
    log.error({ err: new Error('x'), refId: 'cafe0002' }, 'unhandled rejection (kept running)');
    log.error({ module: 'scanner' }, 'no ref id here');
    log.warn('a plain line');
    expect(seen.map(({ refId, where }) => ({ refId, where }))).toEqual([
      { refId: 'abcd1234', where: 'autoscan resume' },
      { refId: 'beef0001', where: 'interactions /vt hash' },
      { refId: 'cafe0002', where: 'process' },
    ]);
    expect(JSON.stringify(seen)).not.toMatch(/user text|123456789012345678|"42"/);
  });

  it('a recorder that throws costs nothing but itself', () => {
    const lines: string[] = [];
    const log = createLogger({
      level: 'info', secrets: [], onReference: () => { throw new Error('boom'); },
      destination: new Writable({ write: (chunk: Buffer, _enc, done) => { lines.push(chunk.toString()); done(); } }),
    });
    log.error({ refId: 'abcd1234' }, 'still written');
    expect(lines.join('')).toContain('still written');
  });

  it('keeps only the newest, newest first', () => {
    const ring = new RecentErrors(3);
    for (let i = 0; i < 5; i++) ring.record({ refId: `ref${i}`, time: i, where: 'x' });
    expect(ring.list().map((e) => e.refId)).toEqual(['ref4', 'ref3', 'ref2']);
  });
});

describe('the queue history', () => {
  it('samples depth and the mean wait since the last sample, within an hour of samples', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let depth = 0;
    let now = 0;
    const history = new QueueHistory({ metrics, depth: () => depth, clock: () => now, intervalMs: 10_000 });
    await history.sample();
    metrics.observe('vtguard_queue_wait_seconds', { priority: 'command' }, 2);
    metrics.observe('vtguard_queue_wait_seconds', { priority: 'autoscan' }, 4);
    depth = 5;
    now = 10_000;
    await history.sample();
    now = 20_000;
    await history.sample(); // nothing granted since: wait 0
    expect(history.samples()).toEqual([
      { time: 0, depth: 0, waitSeconds: 0 },
      { time: 10_000, depth: 5, waitSeconds: 3 },
      { time: 20_000, depth: 5, waitSeconds: 0 },
    ]);
    for (let i = 0; i < 400; i++) await history.sample();
    expect(history.samples()).toHaveLength(360); // an hour at one sample every 10 s
  });
});
