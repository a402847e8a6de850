/**
 * Hashes a download and writes it to a file in one pass, with the main thread doing as little per
 * byte as it can: it copies each chunk into one of a few large slabs and hands a full slab to the
 * hashing thread (hashing-thread.ts), which hashes and writes it while the main thread goes on
 * reading the socket. Slabs are transferred, not copied, and come back for reuse. Memory stays
 * bounded: at most SLABS_PER_FILE slabs per file, and the body is paused while none is free.
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { startHashJob, type HashJob } from './hashing-thread.js';

/** Bytes handed over at once: a few hundred messages for a large file, little memory held. */
const SLAB_BYTES = 2 * 1024 * 1024;
/**
 * Slabs per file: one being filled while the others wait for or are in the hashing thread. Larger or
 * more slabs measured no faster (the CPU, not the pipeline's depth, is the limit) and cost RSS.
 */
const SLABS_PER_FILE = 3;

/** What was written: the bytes' sha256 (hex) and their count. */
export interface HashedFile {
  sha256: string;
  size: number;
}

/**
 * Reads `body` to its end into a new file at `path` (mode 0600), hashing every byte.
 * Stops with `overLimit()` as soon as more than `maxBytes` arrive; rejects with the body's error
 * (e.g. its abort) or a write error. The file is closed before this settles, whatever happens, and
 * nothing writes to it afterwards; removing it on failure is the caller's job.
 */
export async function hashIntoFile(body: Readable, path: string, maxBytes: number, overLimit: () => Error): Promise<HashedFile> {
  const file = await open(path, 'w', 0o600);
  let job: HashJob | undefined;
  let written = false;
  try {
    const hashed = await new Promise<HashedFile>((resolve, reject) => {
      const free: ArrayBuffer[] = [];
      let allocated = 0;
      let slab: Uint8Array | null = null;
      let filled = 0;
      let position = 0;
      let size = 0;
      /** The rest of a chunk that found no free slab; the body is paused until one comes back. */
      let waiting: Buffer | null = null;
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
      const hashJob = startHashJob(file.fd, {
        slabReturned: (buffer) => {
          free.push(buffer);
          if (settled || waiting === null) return;
          const rest = waiting;
          waiting = null;
          take(rest);
          if (waiting !== null) return;
          if (ended) complete();
          else body.resume();
        },
        failed: fail,
      });
      job = hashJob;
      const nextSlab = (): Uint8Array | null => {
        let buffer = free.pop();
        if (buffer === undefined && allocated < SLABS_PER_FILE) {
          allocated += 1;
          buffer = new ArrayBuffer(SLAB_BYTES);
        }
        return buffer === undefined ? null : new Uint8Array(buffer);
      };
      const handOver = (): void => {
        if (slab === null || filled === 0) return;
        hashJob.write(slab.buffer as ArrayBuffer, filled, position);
        position += filled;
        slab = null;
        filled = 0;
      };
      const take = (chunk: Buffer): void => {
        for (let offset = 0; offset < chunk.length;) {
          slab ??= nextSlab();
          if (slab === null) {
            waiting = chunk.subarray(offset);
            body.pause();
            return;
          }
          const length = Math.min(chunk.length - offset, slab.length - filled);
          slab.set(length === chunk.length ? chunk : chunk.subarray(offset, offset + length), filled);
          filled += length;
          offset += length;
          if (filled === slab.length) handOver();
        }
      };
      const complete = (): void => {
        handOver();
        hashJob.finish().then((sha256) => {
          if (settled) return;
          settled = true;
          resolve({ sha256, size });
        }, fail);
      };
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > maxBytes) return fail(overLimit());
        take(chunk);
      };

      body.on('data', onData);
      body.once('error', fail);
      body.once('end', () => {
        ended = true;
        if (waiting === null) complete();
      });
    });
    written = true;
    return hashed;
  } finally {
    // The hashing thread may still be writing a slab: the fd is closed only once it has let go.
    if (!written) await job?.drop();
    await file.close();
  }
}
