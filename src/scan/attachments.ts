/**
 * Attachments are fetched once, at once: Discord's signed CDN links expire, so a file is streamed
 * from the CDN into a temporary file while its sha256 is computed, before any queue wait. The bytes
 * are never held in memory whole, never fetched from a host outside the allowed list, and never
 * beyond the size limit. The temporary copy is what gets uploaded if VirusTotal has never seen it.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import type { SpooledFile } from './outcome.js';

/** Why an attachment was not fetched; `message` is safe to show a user. */
export class AttachmentRefusedError extends Error {
  constructor(
    readonly reason: 'host' | 'size' | 'fetch',
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentRefusedError';
  }
}

export interface SpoolOptions {
  /** `host` or `host:port` entries (ATTACHMENT_HOSTS). */
  allowedHosts: readonly string[];
  maxBytes: number;
  /** File name to report; the URL's last path segment when absent. */
  name?: string;
  /** Size Discord declared for the attachment, checked before any byte is fetched. */
  declaredSize?: number;
  signal?: AbortSignal;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** Whether `url` may be fetched: an allowed host, over https (plain http only for loopback hosts). */
export function isAllowedAttachmentUrl(url: string, allowedHosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  const secure = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname));
  if (!secure) return false;
  return allowedHosts.some((allowed) => (allowed.includes(':') && !allowed.startsWith('[') ? allowed === parsed.host : allowed === parsed.hostname || allowed === parsed.host));
}

/**
 * Streams an attachment into a temporary file, hashing it on the way.
 * @throws AttachmentRefusedError when the host is not allowed, the file is too large, or the CDN fails.
 */
export async function spoolAttachment(url: string, options: SpoolOptions): Promise<SpooledFile> {
  if (!isAllowedAttachmentUrl(url, options.allowedHosts)) {
    throw new AttachmentRefusedError('host', 'the attachment is not on an allowed CDN host');
  }
  if (options.declaredSize !== undefined && options.declaredSize > options.maxBytes) {
    throw tooLarge(options.maxBytes);
  }
  const response = await request(url, {
    method: 'GET',
    headersTimeout: 15_000,
    bodyTimeout: 30_000,
    ...(options.signal ? { signal: options.signal } : {}),
  }).catch((error: unknown) => {
    throw new AttachmentRefusedError('fetch', `the attachment could not be downloaded (${errorName(error)})`);
  });
  if (response.statusCode !== 200) {
    abandon(response.body);
    throw new AttachmentRefusedError('fetch', `the CDN answered ${response.statusCode} for the attachment`);
  }
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    abandon(response.body);
    throw tooLarge(options.maxBytes);
  }

  const dir = await mkdtemp(join(tmpdir(), 'vt-guard-'));
  const path = join(dir, 'attachment');
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > options.maxBytes) return done(tooLarge(options.maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(response.body, meter, createWriteStream(path));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (error instanceof AttachmentRefusedError) throw error;
    throw new AttachmentRefusedError('fetch', `the attachment download failed (${errorName(error)})`);
  }
  return {
    sha256: hash.digest('hex'),
    name: options.name ?? fileNameOf(url),
    size,
    path,
    discard: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Stops reading a body we don't want; undici reports the abort as an error nobody needs to see. */
function abandon(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}

function fileNameOf(url: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || 'attachment';
  } catch {
    return last || 'attachment';
  }
}

function tooLarge(maxBytes: number): AttachmentRefusedError {
  return new AttachmentRefusedError('size', `the file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit`);
}

function errorName(error: unknown): string {
  return error instanceof Error ? (error.name === 'Error' ? error.message.slice(0, 80) : error.name) : 'unknown error';
}
