import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttachmentRefusedError, isAllowedAttachmentUrl, spoolAttachment } from '../../src/scan/attachments.js';

// A tiny CDN: /file/<n> serves n bytes with a length, /chunked/<n> without one (streamed),
// /trickle/<n> one byte every 50 ms, /hang/ never answers.
let server: Server;
let host: string;
const hits: string[] = [];
/** Per trickled request: bytes written, and whether the client hung up. */
const trickles: Array<{ sent: number; closed: boolean }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const [, kind, size] = (req.url ?? '').split('/');
    const bytes = Buffer.alloc(Number(size), 'x');
    if (kind === 'file') res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
    else if (kind === 'trickle') {
      const state = { sent: 0, closed: false };
      trickles.push(state);
      res.on('close', () => { state.closed = true; });
      res.writeHead(200, { 'content-length': bytes.length });
      const timer = setInterval(() => {
        if (state.closed || state.sent >= bytes.length) return void clearInterval(timer);
        res.write(bytes.subarray(state.sent, state.sent + 1));
        state.sent += 1;
      }, 50);
    } else if (kind === 'hang') return;
    else if (kind === 'chunked') {
      res.writeHead(200);
      for (let i = 0; i < bytes.length; i += 1024) res.write(bytes.subarray(i, i + 1024));
      res.end();
    } else res.writeHead(404).end('gone');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
}));

const sha256 = (n: number): string => createHash('sha256').update(Buffer.alloc(n, 'x')).digest('hex');

describe('spoolAttachment', () => {
  it('streams an allowed attachment to a temporary file and hashes it', async () => {
    const file = await spoolAttachment(`http://${host}/chunked/100000`, { allowedHosts: [host], maxBytes: 1_000_000, name: 'a.bin' });
    expect(file).toMatchObject({ sha256: sha256(100000), size: 100000, name: 'a.bin' });
    expect((await readFile(file.path)).length).toBe(100000);
    await file.discard();
    expect(existsSync(file.path)).toBe(false);
  });

  it('never fetches from a host outside the allowed list', async () => {
    const before = hits.length;
    await expect(spoolAttachment(`http://${host}/file/10`, { allowedHosts: ['cdn.discordapp.com'], maxBytes: 100 })).rejects.toMatchObject({ reason: 'host' });
    expect(hits.length).toBe(before);
  });

  it('refuses an over-size file by its declared size without fetching it', async () => {
    const before = hits.length;
    await expect(spoolAttachment(`http://${host}/file/10`, { allowedHosts: [host], maxBytes: 100, declaredSize: 101 })).rejects.toMatchObject({ reason: 'size' });
    expect(hits.length).toBe(before);
  });

  it('stops a download that grows past the limit and leaves no file behind', async () => {
    const error = await spoolAttachment(`http://${host}/chunked/50000`, { allowedHosts: [host], maxBytes: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttachmentRefusedError);
    expect((error as AttachmentRefusedError).reason).toBe('size');
  });

  it('refuses by Content-Length before reading the body', async () => {
    await expect(spoolAttachment(`http://${host}/file/20000`, { allowedHosts: [host], maxBytes: 10_000 })).rejects.toMatchObject({ reason: 'size' });
  });

  it('gives up on a download trickling a byte every 50 ms at its deadline, and hangs up', async () => {
    const started = Date.now();
    const error = await spoolAttachment(`http://${host}/trickle/1000`, { allowedHosts: [host], maxBytes: 10_000, deadlineMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttachmentRefusedError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 100));
    expect(trickles.at(-1)).toMatchObject({ closed: true });
    expect(trickles.at(-1)?.sent).toBeLessThan(20);
  });

  it('gives up on headers that never come', async () => {
    const started = Date.now();
    await expect(spoolAttachment(`http://${host}/hang/1`, { allowedHosts: [host], maxBytes: 100, deadlineMs: 300 })).rejects.toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('stops when the caller aborts, rejecting with the caller\'s reason', async () => {
    const controller = new AbortController();
    const why = new Error('backlog shut down');
    setTimeout(() => controller.abort(why), 100);
    const error = await spoolAttachment(`http://${host}/trickle/1000`, { allowedHosts: [host], maxBytes: 10_000, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBe(why);
    await new Promise((r) => setTimeout(r, 100));
    expect(trickles.at(-1)).toMatchObject({ closed: true });
  });

  it('refuses a URL on an allowed host but another port, without fetching', async () => {
    const before = hits.length;
    await expect(spoolAttachment(`http://${host}/file/10`, { allowedHosts: ['127.0.0.1'], maxBytes: 100 })).rejects.toMatchObject({ reason: 'host' });
    expect(hits.length).toBe(before);
  });

  it('says so when the CDN does not have the file', async () => {
    await expect(spoolAttachment(`http://${host}/missing/1`, { allowedHosts: [host], maxBytes: 100 })).rejects.toMatchObject({ reason: 'fetch' });
  });
});

describe('isAllowedAttachmentUrl', () => {
  it.each([
    ['https://cdn.discordapp.com/attachments/1/2/a.exe', true],
    ['https://media.discordapp.net/attachments/1/2/a.png', true],
    ['http://cdn.discordapp.com/attachments/1/2/a.exe', false], // plain http only on loopback
    ['https://cdn.discordapp.com.evil.xyz/a.exe', false],
    ['https://user:pw@cdn.discordapp.com/a.exe', false],
    ['https://evil.xyz/a.exe', false],
    ['https://cdn.discordapp.com:8443/attachments/1/2/a.exe', false], // allowed host, other port
    ['https://cdn.discordapp.com:443/attachments/1/2/a.exe', true], // the default port, spelled out
    ['https://CDN.discordapp.com/a.exe', true],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedAttachmentUrl(url, ['cdn.discordapp.com', 'media.discordapp.net'])).toBe(allowed);
  });

  it('matches host:port entries exactly', () => {
    expect(isAllowedAttachmentUrl('http://127.0.0.1:8080/a', ['127.0.0.1:8080'])).toBe(true);
    expect(isAllowedAttachmentUrl('http://127.0.0.1:8081/a', ['127.0.0.1:8080'])).toBe(false);
    expect(isAllowedAttachmentUrl('http://127.0.0.1/a', ['127.0.0.1:8080'])).toBe(false);
    expect(isAllowedAttachmentUrl('https://cdn.example/a', ['cdn.example:443'])).toBe(true);
    expect(isAllowedAttachmentUrl('http://[::1]:8080/a', ['[::1]:8080'])).toBe(true);
    expect(isAllowedAttachmentUrl('http://[::1]:8081/a', ['[::1]:8080'])).toBe(false);
    expect(isAllowedAttachmentUrl('http://[::1]:8080/a', ['[::1]'])).toBe(false);
  });
});
