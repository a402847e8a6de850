import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VtClient } from '../../src/vt/client.js';
import { NotFoundError } from '../../src/vt/errors.js';
import { urlSha256 } from '../../src/vt/ids.js';
import { verdictOf } from '../../src/vt/report.js';
import { SEED } from '../support/vt-double.js';
import { CALL, generatedFile, memoryFile, openV3, sha256Of } from '../support/vt-harness.js';
import type { Harness } from '../support/vt-harness.js';

let h: Harness<VtClient>;
beforeAll(async () => { h = await openV3({ double: { pollsUntilComplete: 3 } }); });
afterAll(async () => { await h.close(); });

const POLL = { priority: 'poll' } as const;

describe('VtClient submissions and analyses (v3)', () => {
  it('submits an unknown URL as a form and polls its analysis until the report exists', async () => {
    const url = 'https://fresh.example/landing?id=1';
    await expect(h.client.getUrl(url, CALL)).rejects.toBeInstanceOf(NotFoundError);
    const ref = await h.client.submitUrl(url, CALL);
    const submitted = h.vt.requestsTo('/api/v3/urls', 'POST');
    expect(submitted.map((r) => r.body)).toEqual([{ url }]);
    expect(ref).toMatchObject({ kind: 'url', resource: url });
    expect(ref.id).toMatch(/^u-[0-9a-f]{64}-\d+$/);
    expect(await h.client.getAnalysis(ref, POLL)).toEqual({ status: 'queued' });
    expect(await h.client.getAnalysis(ref, POLL)).toEqual({ status: 'in-progress' });
    const done = await h.client.getAnalysis(ref, POLL);
    expect(done.status).toBe('completed');
    expect(done.status === 'completed' ? done.report?.id : undefined).toBe(urlSha256(url));
    expect(h.vt.requestsTo(`/api/v3/analyses/${ref.id}`)).toHaveLength(3);
    // Once completed the object is fetched by the id in meta.url_info.
    expect(h.vt.requests.at(-1)?.path).toBe(`/api/v3/urls/${urlSha256(url)}`);
    expect((await h.client.getUrl(url, CALL)).id).toBe(urlSha256(url));
  });

  it('uploads a small file as a multipart body; the analysis finds it by md5', async () => {
    const file = memoryFile('report.pdf', 'not really a pdf\n'.repeat(1000));
    const sha256 = createHash('sha256').update('not really a pdf\n'.repeat(1000)).digest('hex');
    const ref = await h.client.uploadFile(file, CALL);
    const [upload] = h.vt.requestsTo('/api/v3/files', 'POST');
    expect(upload?.body).toEqual({ fields: {}, file: { name: 'report.pdf', size: file.size, sha256 } });
    expect(ref.kind).toBe('file');
    expect(ref.resource).toBe(createHash('md5').update('not really a pdf\n'.repeat(1000)).digest('hex'));
    let status = await h.client.getAnalysis(ref, POLL);
    while (status.status !== 'completed') status = await h.client.getAnalysis(ref, POLL);
    expect(status.report?.id).toBe(sha256);
    expect(status.report?.facts).toMatchObject({ kind: 'file', name: 'report.pdf', size: file.size });
  });

  it('uploads a file over 32 MB through a one-time upload URL (two requests), streamed', async () => {
    const size = 32 * 1024 * 1024 + 12_345;
    const file = generatedFile('big.iso', size);
    const sha256 = sha256Of(file);
    const before = h.vt.requests.length;
    const ref = await h.client.uploadFile({ ...file, sha256 }, CALL);
    const sent = h.vt.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.api}`)).toEqual(['GET v3', 'POST upload']);
    expect(sent[0]?.path).toBe('/api/v3/files/upload_url');
    expect(sent[1]?.body).toEqual({ fields: {}, file: { name: 'big.iso', size, sha256 } });
    // Sent with its length up front (multipart framing included), not chunked.
    expect(sent[1]?.contentLength).toBeGreaterThan(size);
    expect(sent[1]?.contentLength).toBeLessThan(size + 1024);
    expect(h.vt.requestsTo('/api/v3/files', 'POST')).toHaveLength(1); // only the small upload above
    expect(ref.resource).toBe(sha256);
    expect(h.vt.uploads.at(-1)).toMatchObject({ size, sha256 });
  });

  it('streams the upload from disk: memory does not grow with the file', async () => {
    const size = 128 * 1024 * 1024;
    const file = generatedFile('stream.bin', size);
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 2);
    try {
      await h.client.uploadFile(file, CALL);
    } finally {
      clearInterval(sampler);
    }
    expect(h.vt.uploads.at(-1)).toMatchObject({ size, sha256: sha256Of(file) });
    // Read whole first, the file alone would have added 128 MB (bench/upload.ts: about +35 MB streamed).
    expect(peak - base).toBeLessThan(size / 2);
  });

  it('refuses a file over 650 MB without sending anything', async () => {
    const before = h.vt.requests.length;
    await expect(h.client.uploadFile({ name: 'huge.bin', size: 651 * 1024 * 1024, path: '/nonexistent/huge.bin' }, CALL)).rejects.toThrow(/at most 650 MB/);
    expect(h.vt.requests.length).toBe(before);
  });

  it('asks VirusTotal to analyse a known file again', async () => {
    const ref = await h.client.rescanFile(SEED.eicar.sha256, CALL);
    expect(h.vt.requests.at(-1)).toMatchObject({ method: 'POST', path: `/api/v3/files/${SEED.eicar.sha256}/analyse` });
    expect(ref).toMatchObject({ kind: 'file', resource: SEED.eicar.sha256 });
    let status = await h.client.getAnalysis(ref, POLL);
    while (status.status !== 'completed') status = await h.client.getAnalysis(ref, POLL);
    expect(status.report !== null && verdictOf(status.report.stats, 3)).toBe('malicious');
  });

  it('answers completed with no report when the analysed object is gone', async () => {
    const vtObject = h.vt.addUrl('https://vanishing.example/', { known: false });
    const ref = await h.client.submitUrl('https://vanishing.example/', CALL);
    h.vt.fault({ method: 'GET', path: `/api/v3/urls/${vtObject.id}` }, { status: 404, body: 'Not Found' });
    let status = await h.client.getAnalysis(ref, POLL);
    while (status.status !== 'completed') status = await h.client.getAnalysis(ref, POLL);
    expect(status).toEqual({ status: 'completed', report: null });
  });
});
