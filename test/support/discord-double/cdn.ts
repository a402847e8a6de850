/**
 * The attachment CDN: serves registered bytes as a stream (optionally slow, in chunks) and records
 * every hit, so a test can prove what was (or was not) downloaded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DoubleStore } from './store.js';

export interface CdnHit {
  path: string;
  /** The Host header the request came with (a foreign host name still lands here if it resolves to us). */
  host: string;
  method: string;
  status: number;
  /** Bytes actually written before the response ended or the client went away. */
  bytesSent: number;
  /** True when the client hung up before the whole body was sent (e.g. a size cap kicked in). */
  aborted: boolean;
  at: number;
}

export interface CdnOptions {
  /** Bytes per write (default 64 KiB). */
  chunkSize: number;
  /** Pause between chunks, to make downloads slow (default 0). */
  chunkDelayMs: number;
  /** Send Content-Length (default true); false forces chunked transfer, as some proxies do. */
  contentLength: boolean;
}

export const defaultCdnOptions: CdnOptions = Object.freeze({ chunkSize: 64 * 1024, chunkDelayMs: 0, contentLength: true });

export async function serveCdn(req: IncomingMessage, res: ServerResponse, url: URL, store: DoubleStore, opts: CdnOptions, hits: CdnHit[]): Promise<void> {
  const hit: CdnHit = { path: url.pathname, host: req.headers.host ?? '', method: req.method ?? 'GET', status: 200, bytesSent: 0, aborted: false, at: Date.now() };
  hits.push(hit);
  const blob = store.blobs.get(url.pathname);
  if (!blob) {
    hit.status = 404;
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return;
  }
  res.writeHead(200, {
    'content-type': blob.contentType,
    ...(opts.contentLength ? { 'content-length': String(blob.bytes.length) } : {}),
    'cache-control': 'public, max-age=31536000',
  });
  if (hit.method === 'HEAD') {
    res.end();
    return;
  }
  let closed = false;
  res.on('close', () => {
    closed = true;
    hit.aborted = hit.bytesSent < blob.bytes.length;
  });
  for (let offset = 0; offset < blob.bytes.length && !closed; offset += opts.chunkSize) {
    const chunk = blob.bytes.subarray(offset, offset + opts.chunkSize);
    // Respect backpressure so a slow reader really is slow, and a cancelled one stops the stream.
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        // Both listeners go once either fires: a long download would otherwise pile up 'close' listeners.
        const done = (): void => { res.off('drain', done); res.off('close', done); resolve(); };
        res.once('drain', done);
        res.once('close', done);
      });
    }
    hit.bytesSent += chunk.length;
    if (opts.chunkDelayMs > 0) await new Promise((r) => setTimeout(r, opts.chunkDelayMs));
  }
  if (!closed) res.end();
}
