/**
 * Hashes a download and writes it to a file in one pass, as cheaply per byte as Node allows: the
 * hash runs in the body's own 'data' handler (no Transform stream, no promise per chunk), and
 * chunks are gathered into large batches written with one positioned `writev` each, so file I/O
 * runs on libuv's thread pool while the main thread keeps reading and hashing. Memory stays
 * bounded: the body is paused while too many batches are in flight.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** Bytes gathered before one write: few thread-pool round trips per file, little memory. */
const BATCH_BYTES = 4 * 1024 * 1024;
/** Batches in flight before reading pauses: at most ~BATCH_BYTES × this held at once. */
const MAX_WRITES_IN_FLIGHT = 2;

/** What was written: the bytes' sha256 (hex) and their count. */
export interface HashedFile {
  sha256: string;
  size: number;
}

/**
 * Reads `body` to its end into a new file at `path` (mode 0600), hashing every byte.
 * Stops with `overLimit()` as soon as more than `maxBytes` arrive; rejects with the body's error
 * (e.g. its abort) or a write error. The file is closed before this settles, whatever happens;
 * removing it on failure is the caller's job.
 */
export async function hashIntoFile(body: Readable, path: string, maxBytes: number, overLimit: () => Error): Promise<HashedFile> {
  const file = await open(path, 'w', 0o600);
  const writes = new Set<Promise<void>>();
  try {
    return await new Promise<HashedFile>((resolve, reject) => {
      const hash = createHash('sha256');
      let size = 0;
      let written = 0;
      let batch: Buffer[] = [];
      let batchBytes = 0;
      let ended = false;
      let settled = false;

      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        body.off('data', onData);
        body.on('error', () => undefined);
        body.destroy();
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      const finishIfDone = (): void => {
        if (settled || !ended || writes.size > 0) return;
        settled = true;
        resolve({ sha256: hash.digest('hex'), size });
      };
      const flush = (): void => {
        if (batchBytes === 0) return;
        // Positioned writes: two batches in flight on the thread pool may complete in any order.
        const write = writeFully(file, batch, batchBytes, written);
        written += batchBytes;
        batch = [];
        batchBytes = 0;
        writes.add(write);
        if (writes.size >= MAX_WRITES_IN_FLIGHT) body.pause();
        write.then(() => {
          writes.delete(write);
          if (settled) return;
          if (!ended && writes.size < MAX_WRITES_IN_FLIGHT) body.resume();
          finishIfDone();
        }, (error: unknown) => { writes.delete(write); fail(error); });
      };
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > maxBytes) return fail(overLimit());
        hash.update(chunk);
        batch.push(chunk);
        batchBytes += chunk.length;
        if (batchBytes >= BATCH_BYTES) flush();
      };

      body.on('data', onData);
      body.once('error', fail);
      body.once('end', () => {
        ended = true;
        flush();
        finishIfDone();
      });
    });
  } finally {
    // A failed download may still have batches on the thread pool; close only once they are done.
    await Promise.allSettled([...writes]);
    await file.close();
  }
}

/** One batch at `position`; a short write (rare on regular files) is finished from where it stopped. */
async function writeFully(file: FileHandle, chunks: Buffer[], length: number, position: number): Promise<void> {
  const { bytesWritten } = await file.writev(chunks, position);
  if (bytesWritten >= length) return;
  const rest = Buffer.concat(chunks, length).subarray(bytesWritten);
  for (let offset = 0; offset < rest.length;) {
    const { bytesWritten: more } = await file.write(rest, offset, rest.length - offset, position + bytesWritten + offset);
    offset += more;
  }
}
