/**
 * The transport against a hostile VirusTotal: answers that trickle a byte at a time or never come
 * (overall deadline), and answers far larger than any report (size cap). Real undici against the
 * loopback double; the double records how many bytes it got out before the client hung up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MalformedResponseError, TimeoutError, TransientError } from '../../src/vt/errors.js';
import { SEED } from '../support/vt-double.js';
import type { RecordedRequest } from '../support/vt-double.js';
import { CALL, generatedFile, openV2, openV3 } from '../support/vt-harness.js';
import type { Harness } from '../support/vt-harness.js';

const open: Array<Harness<{ close(): Promise<void> }>> = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function v3(options: Parameters<typeof openV3>[0] = {}): ReturnType<typeof openV3> {
  const h = await openV3({ gate: { retry: { attempts: 1 } }, ...options });
  open.push(h);
  return h;
}

const DOMAIN = `/api/v3/domains/${SEED.cleanDomain}`;
const MB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits a little, then reads how many bytes went out: it must not grow once the client left. */
async function settledBytes(record: RecordedRequest | undefined): Promise<number> {
  await sleep(200);
  return record?.bytesSent ?? -1;
}

describe('overall deadline', () => {
  it('gives up on an answer that trickles one byte every 50 ms after totalMs, as a TimeoutError', async () => {
    const { client, vt } = await v3({ timeouts: { totalMs: 300 } });
    vt.fault({ path: DOMAIN }, { trickleMs: 50 });
    const started = Date.now();
    const error = await client.getDomain(SEED.cleanDomain, CALL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'DeadlineExceeded', retryable: true, path: DOMAIN });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(1500);
    const sent = vt.requests[0]?.bytesSent ?? 0;
    expect(sent).toBeGreaterThan(0);
    expect(await settledBytes(vt.requests[0])).toBeLessThanOrEqual(sent + 1); // the client hung up
  });

  it('gives up on headers that never come', async () => {
    const { client, vt } = await v3({ timeouts: { totalMs: 300 } });
    vt.fault({ path: DOMAIN }, { delayMs: 30_000, status: 200 });
    const started = Date.now();
    await expect(client.getDomain(SEED.cleanDomain, CALL)).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('lets the gate retry after a deadline: a trickled answer, then a normal one', async () => {
    const { client, vt } = await v3({ timeouts: { totalMs: 300 }, gate: { retry: { attempts: 2 } } });
    vt.fault({ path: DOMAIN }, { trickleMs: 50 });
    expect((await client.getDomain(SEED.cleanDomain, CALL)).id).toBe(SEED.cleanDomain);
    expect(vt.requestsTo(DOMAIN)).toHaveLength(2);
  });

  it('bounds the upload_url fetch of a large upload too, and then sends no upload', async () => {
    const { client, vt } = await v3({ timeouts: { totalMs: 300 } });
    vt.fault({ path: '/api/v3/files/upload_url' }, { trickleMs: 50 });
    await expect(client.uploadFile(generatedFile('big.bin', 33 * MB), CALL)).rejects.toBeInstanceOf(TimeoutError);
    expect(vt.requests.map((r) => r.path)).toEqual(['/api/v3/files/upload_url']);
    expect(vt.uploads).toHaveLength(0);
  });

  it('gives an upload time for its size on top of totalMs (no deadline for a healthy 33 MB upload)', async () => {
    const { client, vt } = await v3({ timeouts: { totalMs: 300, uploadBytesPerSecond: MB } });
    // 300 ms would not do for the answer after a delayed start; 33 MB at 1 MB/s adds 33 s.
    vt.fault({ path: /^\/_upload\// }, { delayMs: 500 });
    const ref = await client.uploadFile(generatedFile('big.bin', 33 * MB), CALL);
    expect(ref.kind).toBe('file');
    expect(vt.uploads.at(-1)?.size).toBe(33 * MB);
  });

  it('applies to the v2 client as well', async () => {
    const h = await openV2({ timeouts: { totalMs: 300 }, gate: { retry: { attempts: 1 } } });
    open.push(h);
    h.vt.fault({ path: '/vtapi/v2/domain/report' }, { trickleMs: 50 });
    await expect(h.client.getDomain(SEED.cleanDomain, CALL)).rejects.toMatchObject({ code: 'DeadlineExceeded' });
  });
});

describe('response size cap', () => {
  it('stops reading a streamed 16 MB answer at the 8 MB default and calls it malformed', async () => {
    const { client, vt } = await v3();
    vt.fault({ path: DOMAIN }, { bodyBytes: 16 * MB, lengthHeader: false });
    const error = await client.getDomain(SEED.cleanDomain, CALL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ code: 'MalformedResponse', status: 200 });
    // The rest was never read: the double stopped once the client hung up (socket buffers aside).
    // Socket buffers on a loaded machine let a few more MB through; all 16 never are.
    expect(await settledBytes(vt.requests[0])).toBeLessThan(15 * MB);
  });

  it('refuses by Content-Length before reading the body', async () => {
    const { client, vt } = await v3({ maxResponseBytes: MB });
    vt.fault({ path: DOMAIN }, { bodyBytes: 64 * MB });
    await expect(client.getDomain(SEED.cleanDomain, CALL)).rejects.toBeInstanceOf(MalformedResponseError);
    expect(await settledBytes(vt.requests[0])).toBeLessThan(16 * MB);
  });

  it('honours maxResponseBytes: a normal report over 100 bytes is refused', async () => {
    const { client } = await v3({ maxResponseBytes: 100 });
    await expect(client.getDomain(SEED.cleanDomain, CALL)).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it('keeps the status of an oversized error answer (a 503 stays transient)', async () => {
    const { client, vt } = await v3({ maxResponseBytes: MB });
    vt.fault({ path: DOMAIN }, { status: 503, bodyBytes: 4 * MB, lengthHeader: false });
    await expect(client.getDomain(SEED.cleanDomain, CALL)).rejects.toBeInstanceOf(TransientError);
  });
});
