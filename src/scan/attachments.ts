/**
 * Attachments are fetched once, at once: Discord's signed CDN links expire, so a file is streamed
 * from the CDN into a temporary file while its sha256 is computed, before any queue wait. The bytes
 * are never held in memory whole, never fetched from a host outside the allowed list, and never
 * beyond the size limit. The temporary copy is what gets uploaded if VirusTotal has never seen it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { deadline } from '../core/timers.js';
import type { SpooledFile } from './outcome.js';
import { hashIntoFile, type HashedFile } from './spool-writer.js';

/** Why an attachment was not fetched; `message` is safe to show a user. */
export class AttachmentRefusedError extends Error {
  constructor(
    /** `timeout`: the download did not finish within its deadline (the file is not checked). */
    readonly reason: 'host' | 'size' | 'fetch' | 'timeout',
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
  /** Overall deadline of the download, headers to last byte (default 60 000 ms). */
  deadlineMs?: number;
  /** Cancels the download; its reason is what `spoolAttachment` then rejects with. */
  signal?: AbortSignal;
}

/** A CDN trickling a byte a second would otherwise hold a backlog slot for ever. */
export const DEFAULT_DOWNLOAD_DEADLINE_MS = 60_000;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** `host` or `host:port` (`[v6]` or `[v6]:port`), lower-cased; null when unreadable. */
function parseHostEntry(entry: string): { hostname: string; port: string | undefined } | null {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(entry.trim());
  if (match === null) return null;
  return { hostname: (match[1] ?? '').toLowerCase(), port: match[2] };
}

/**
 * Whether `url` may be fetched: an allowed host, over https (plain http only for loopback hosts).
 * An entry without a port allows only the scheme's default port: `cdn.discordapp.com` must not
 * let `https://cdn.discordapp.com:8443/…` through to whatever listens there.
 */
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
  // URL drops a port equal to the scheme's default, so '' means "the default port".
  const defaultPort = parsed.protocol === 'https:' ? '443' : '80';
  return allowedHosts.some((allowed) => {
    const entry = parseHostEntry(allowed);
    if (entry === null || entry.hostname !== parsed.hostname) return false;
    return entry.port === undefined ? parsed.port === '' : (parsed.port === '' ? defaultPort : parsed.port) === String(Number(entry.port));
  });
}

/**
 * Streams an attachment into a temporary file, hashing it on the way, within an overall deadline.
 * @throws AttachmentRefusedError when the host is not allowed, the file is too large, the CDN fails
 *   or the deadline passes (`timeout`); the signal's reason when `options.signal` aborts.
 */
export async function spoolAttachment(url: string, options: SpoolOptions): Promise<SpooledFile> {
  if (!isAllowedAttachmentUrl(url, options.allowedHosts)) {
    throw new AttachmentRefusedError('host', 'the attachment is not on an allowed CDN host');
  }
  if (options.declaredSize !== undefined && options.declaredSize > options.maxBytes) {
    throw tooLarge(options.maxBytes);
  }
  const deadlineMs = options.deadlineMs ?? DEFAULT_DOWNLOAD_DEADLINE_MS;
  const limit = deadline(deadlineMs, options.signal);
  try {
    return await download(url, options, limit.signal, (error, what) => {
      if (options.signal?.aborted === true) return options.signal.reason as unknown;
      if (limit.expired) return new AttachmentRefusedError('timeout', `the attachment download took longer than ${Math.round(deadlineMs / 1000)} s`);
      return error instanceof AttachmentRefusedError ? error : new AttachmentRefusedError('fetch', `${what} (${errorName(error)})`);
    });
  } finally {
    limit.dispose();
  }
}

/** The download itself; `failure` turns what went wrong into what the caller is told. */
async function download(url: string, options: SpoolOptions, signal: AbortSignal, failure: (error: unknown, what: string) => unknown): Promise<SpooledFile> {
  // A large highWaterMark lets the socket run ahead while a batch is hashed or written.
  const response = await request(url, { method: 'GET', headersTimeout: 15_000, bodyTimeout: 30_000, signal, highWaterMark: 1024 * 1024 }).catch((error: unknown) => {
    throw failure(error, 'the attachment could not be downloaded');
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
  let hashed: HashedFile;
  try {
    hashed = await hashIntoFile(response.body, path, options.maxBytes, () => tooLarge(options.maxBytes));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw failure(error, 'the attachment download failed');
  }
  return {
    sha256: hashed.sha256,
    name: options.name ?? fileNameOf(url),
    size: hashed.size,
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
