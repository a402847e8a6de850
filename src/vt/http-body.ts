/**
 * Reads a response body with a size cap while it streams: a 16 MB "report" must not grow the heap
 * by ten times that before anything looks at it. Reading stops (and the connection is dropped) at
 * the first byte over the cap, or at once when Content-Length already says too much.
 */
import type { Readable } from 'node:stream';

/** What VirusTotal's largest documented answers need, with room to spare. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** The body as text, or `tooLarge` when it was cut off at `maxBytes`. */
export type BodyText = { text: string; tooLarge: false } | { text: ''; tooLarge: true };

/**
 * Reads `body` up to `maxBytes`; rejects with whatever destroyed the stream (an abort reason,
 * a dropped connection).
 */
export async function readBodyCapped(body: Readable, contentLength: string | string[] | undefined, maxBytes: number): Promise<BodyText> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) return drop(body);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > maxBytes) return drop(body);
    chunks.push(bytes);
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), tooLarge: false };
}

/** Stops reading; undici reports the destroyed stream as an error nobody needs to see. */
function drop(body: Readable): BodyText {
  body.on('error', () => undefined);
  body.destroy();
  return { text: '', tooLarge: true };
}
