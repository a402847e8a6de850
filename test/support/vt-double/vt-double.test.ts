/** The double's own promises that other engineers rely on: quota violations, faults, uploads. */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { FormData, Response } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { readMultipart } from './multipart.js';
import { SEED, startVtDouble } from '../vt-double.js';
import type { VtDouble } from '../vt-double.js';

let vt: VtDouble | undefined;
afterEach(async () => { await vt?.close(); vt = undefined; });

async function get(double: VtDouble, path: string, key = double.apiKey): Promise<{ status: number; text: string }> {
  const res = await fetch(`${double.origin}${path}`, { headers: { 'x-apikey': key } });
  return { status: res.status, text: await res.text() };
}

describe('VirusTotal double', () => {
  it('counts requests beyond the sliding window as violations, and frees the window with time', async () => {
    let now = Date.parse('2026-11-26T10:00:00Z');
    vt = await startVtDouble({ perWindow: 2, windowMs: 60_000, clock: () => now });
    const path = `/api/v3/files/${SEED.eicar.sha256}`;
    expect((await get(vt, path)).status).toBe(200);
    now += 30_000;
    expect((await get(vt, path)).status).toBe(200);
    const refused = await get(vt, path);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toEqual({ error: { code: 'TooManyRequestsError', message: 'Too many requests' } });
    expect(vt.violations).toBe(1);
    now += 30_001; // the first request left the window
    expect((await get(vt, path)).status).toBe(200);
    expect(vt.violations).toBe(1);
    expect(vt.requestsTo(path).map((r) => r.violation)).toEqual([false, false, true, false]);
  });

  it('can report a window overrun as QuotaExceededError, as VirusTotal documents it', async () => {
    vt = await startVtDouble({ perWindow: 1, windowLimitCode: 'QuotaExceededError' });
    const path = `/api/v3/ip_addresses/${SEED.cleanIp}`;
    await get(vt, path);
    expect(JSON.parse((await get(vt, path)).text)).toMatchObject({ error: { code: 'QuotaExceededError' } });
    expect(vt.violations).toBe(1);
  });

  it('plays scripted faults in order, then answers normally', async () => {
    vt = await startVtDouble();
    const path = `/api/v3/domains/${SEED.cleanDomain}`;
    vt.fault({ path, method: 'GET' }, { status: 503, body: { error: { code: 'TransientError', message: 'x' } } }, { status: 404, body: 'Not Found' });
    expect((await get(vt, path)).status).toBe(503);
    expect(await get(vt, path)).toEqual({ status: 404, text: 'Not Found' });
    expect((await get(vt, path)).status).toBe(200);
    expect(vt.requestsTo(path).map((r) => r.faulted)).toEqual([true, true, false]);
  });

  it('never logs the key', async () => {
    vt = await startVtDouble();
    await fetch(`${vt.origin}/vtapi/v2/url/report?apikey=${vt.apiKey}&resource=x`);
    await fetch(`${vt.origin}/vtapi/v2/url/scan`, { method: 'POST', body: new URLSearchParams({ apikey: vt.apiKey, url: 'http://a.example/' }) });
    expect(JSON.stringify(vt.requests)).not.toContain(vt.apiKey);
    expect(vt.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('answers 401 for a missing or wrong key', async () => {
    vt = await startVtDouble();
    expect(JSON.parse((await get(vt, `/api/v3/ip_addresses/${SEED.cleanIp}`, 'nope')).text)).toMatchObject({ error: { code: 'WrongCredentialsError' } });
  });

  it('reads multipart bodies however the bytes are chunked', async () => {
    const content = Buffer.from('--boundary-lookalike\r\n\r\n'.repeat(40));
    // Encoded the way the client sends uploads: undici's FormData.
    const form = new FormData();
    form.append('apikey', 'k');
    form.append('note', 'hello');
    form.append('file', new Blob([content]), 'x.bin');
    const encoded = new Response(form);
    const bytes = Buffer.from(await encoded.arrayBuffer());
    const boundary = /boundary=(.+)$/.exec(encoded.headers.get('content-type') ?? '')?.[1] ?? '';
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 8 }), async (cuts) => {
      const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), bytes.length];
      const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i] ?? 0, end));
      const form = await readMultipart(Readable.from(chunks), boundary);
      expect(form.fields).toEqual({ apikey: 'k', note: 'hello' });
      expect(form.file).toMatchObject({ name: 'x.bin', size: content.length });
    }), { numRuns: 60 });
  });
});
