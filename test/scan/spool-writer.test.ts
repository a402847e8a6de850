import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { hashIntoFile } from '../../src/scan/spool-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'spool-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const nextPath = (): string => join(dir, `f${String((files += 1))}`);
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A body that hands out `bytes` in `chunk`-sized pieces as fast as it is read, failing at `failAt` if given. */
function bodyOf(bytes: Buffer, chunk = 64 * 1024, failAt?: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (failAt !== undefined && offset >= failAt) return void this.destroy(new Error('connection reset'));
      if (offset >= bytes.length) return void this.push(null);
      this.push(bytes.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
}
const tooLarge = (): Error => new Error('too large');

describe('hashIntoFile', () => {
  it('hashes and writes a large body, pausing it while its batches are being written', async () => {
    const bytes = randomBytes(40 * 1024 * 1024 + 12_345);
    const body = bodyOf(bytes, 65_536 + 7);
    let pauses = 0;
    body.on('pause', () => (pauses += 1));
    const path = nextPath();
    const hashed = await hashIntoFile(body, path, bytes.length, tooLarge);
    expect(hashed).toEqual({ sha256: sha256(bytes), size: bytes.length });
    expect((await readFile(path)).equals(bytes)).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // The body outruns the thread pool within one tick, so the limit on writes in flight must have held it back.
    expect(pauses).toBeGreaterThan(0);
  });

  it('handles empty bodies and chunks larger than a batch', async () => {
    expect(await hashIntoFile(bodyOf(Buffer.alloc(0)), nextPath(), 10, tooLarge)).toEqual({ sha256: sha256(Buffer.alloc(0)), size: 0 });
    const bytes = randomBytes(9 * 1024 * 1024);
    const path = nextPath();
    expect(await hashIntoFile(bodyOf(bytes, bytes.length), path, bytes.length, tooLarge)).toEqual({ sha256: sha256(bytes), size: bytes.length });
    expect((await readFile(path)).equals(bytes)).toBe(true);
  });

  it('hashes several files at once', async () => {
    const contents = [randomBytes(5_000_000), randomBytes(11_000_000), randomBytes(3)];
    const results = await Promise.all(contents.map((bytes, i) => hashIntoFile(bodyOf(bytes, 10_000 * (i + 1)), nextPath(), 20_000_000, tooLarge)));
    expect(results.map((r) => r.sha256)).toEqual(contents.map(sha256));
  });

  it('stops at the size limit with the caller\'s error, and the next file still hashes', async () => {
    const body = bodyOf(randomBytes(20 * 1024 * 1024));
    await expect(hashIntoFile(body, nextPath(), 10 * 1024 * 1024, tooLarge)).rejects.toThrow('too large');
    expect(body.destroyed).toBe(true);
    const bytes = randomBytes(1000);
    expect((await hashIntoFile(bodyOf(bytes), nextPath(), 1000, tooLarge)).sha256).toBe(sha256(bytes));
  });

  it('rejects with the body\'s error', async () => {
    await expect(hashIntoFile(bodyOf(randomBytes(30 * 1024 * 1024), 65_536, 24 * 1024 * 1024), nextPath(), 1e9, tooLarge)).rejects.toThrow('connection reset');
  });

  it('rejects with the write error when the disk refuses the bytes, and the next file still hashes', async () => {
    // /dev/full fails every write with ENOSPC: a full disk, for real.
    await expect(hashIntoFile(bodyOf(randomBytes(6 * 1024 * 1024)), '/dev/full', 1e9, tooLarge)).rejects.toThrow('ENOSPC');
    const bytes = randomBytes(5 * 1024 * 1024);
    expect((await hashIntoFile(bodyOf(bytes), nextPath(), 1e9, tooLarge)).sha256).toBe(sha256(bytes));
  });
});
