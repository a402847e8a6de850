import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttachmentRefusedError, isAllowedAttachmentUrl, spoolAttachment } from '../../src/scan/attachments.js';

// A tiny CDN: /file/<n> serves n bytes with a length, /chunked/<n> without one (streamed).
let server: Server;
let host: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const [, kind, size] = (req.url ?? '').split('/');
    const bytes = Buffer.alloc(Number(size), 'x');
    if (kind === 'file') res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
    else if (kind === 'chunked') {
      res.writeHead(200);
      for (let i = 0; i < bytes.length; i += 1024) res.write(bytes.subarray(i, i + 1024));
      res.end();
    } else res.writeHead(404).end('gone');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedAttachmentUrl(url, ['cdn.discordapp.com', 'media.discordapp.net'])).toBe(allowed);
  });

  it('matches host:port entries exactly', () => {
    expect(isAllowedAttachmentUrl('http://127.0.0.1:8080/a', ['127.0.0.1:8080'])).toBe(true);
    expect(isAllowedAttachmentUrl('http://127.0.0.1:8081/a', ['127.0.0.1:8080'])).toBe(false);
  });
});
