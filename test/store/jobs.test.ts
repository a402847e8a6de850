import { describe, expect, it } from 'vitest';
import { BACKENDS, storeOpener, tempDirs } from '../support/store.js';

interface AutoScan {
  guildId: string;
  messageId: string;
}
const parseAutoScan = (raw: unknown): AutoScan | undefined => {
  const r = raw as Partial<AutoScan> | null;
  return typeof r?.guildId === 'string' && typeof r.messageId === 'string' ? { guildId: r.guildId, messageId: r.messageId } : undefined;
};

describe.each(BACKENDS)('pending jobs (%s)', (backend) => {
  const tempDir = tempDirs();
  const open = storeOpener(tempDir, backend);

  it('survive a restart until completed', async () => {
    const dir = await tempDir();
    const first = await open(dir);
    const a = await first.jobs.add({ guildId: 'g', messageId: '1' });
    const b = await first.jobs.add({ guildId: 'g', messageId: '2' });
    await first.jobs.complete(a);
    await first.close();
    const second = await open(dir);
    const pending = await second.jobs.pending();
    expect(pending.map((j) => [j.id, j.payload])).toEqual([[b, { guildId: 'g', messageId: '2' }]]);
    expect(typeof pending[0]?.createdAt).toBe('number');
    await second.jobs.complete(b);
    expect(await second.jobs.pending()).toEqual([]);
  });

  it('lists oldest first, and keeps separate queues apart', async () => {
    const s = await open();
    const scans = s.jobs.queue('autoscan', parseAutoScan);
    const other = s.jobs.queue('analyses', (raw) => (typeof raw === 'string' ? raw : undefined));
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) {
      ids.push(await scans.add({ guildId: 'g', messageId: String(i) }));
      await new Promise((r) => setTimeout(r, 2));
    }
    await other.add('analysis-1');
    expect((await scans.pending()).map((j) => j.id)).toEqual(ids);
    expect((await other.pending()).map((j) => j.payload)).toEqual(['analysis-1']);
    expect(await s.jobs.pending()).toEqual([]);
  });

  it('drops stored payloads it can no longer read', async () => {
    const s = await open();
    const scans = s.jobs.queue('autoscan', parseAutoScan);
    const untyped = s.jobs.queue('autoscan', (raw) => raw);
    await untyped.add({ old: 'shape' });
    const good = await scans.add({ guildId: 'g', messageId: '9' });
    expect((await scans.pending()).map((j) => j.id)).toEqual([good]);
    expect((await untyped.pending()).map((j) => j.id)).toEqual([good]);
  });
});
