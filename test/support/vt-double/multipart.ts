/**
 * A streaming `multipart/form-data` reader for the double: text fields are kept, the file part is
 * hashed as it arrives and never held in memory, so a 650 MB upload costs no more than a small one.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface UploadedFile { name: string; size: number; sha256: string; md5: string; sha1: string }
export interface ParsedForm { fields: Record<string, string>; file?: UploadedFile }

/** The boundary of a multipart content-type, or null when it is not multipart. */
export function boundaryOf(contentType: string | undefined): string | null {
  const match = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

function disposition(headers: string): { name: string; filename?: string } {
  const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
  const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
  return filename === undefined ? { name } : { name, filename };
}

/** Reads the whole body; rejects on a body that does not follow the multipart grammar. */
export async function readMultipart(body: Readable, boundary: string): Promise<ParsedForm> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const form: ParsedForm = { fields: {} };
  // A leading CRLF lets the first boundary be found like the others.
  let buffer: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'boundary' | 'headers' | 'body' | 'end' = 'preamble';
  let part: { name: string; filename?: string; text: Buffer[]; size: number; hashes: ReturnType<typeof createHash>[] } | undefined;

  const emit = (data: Buffer): void => {
    if (part === undefined || data.length === 0) return;
    part.size += data.length;
    if (part.filename === undefined) part.text.push(data);
    else for (const h of part.hashes) h.update(data);
  };
  const finish = (): void => {
    if (part === undefined) return;
    if (part.filename === undefined) form.fields[part.name] = Buffer.concat(part.text).toString('utf8');
    else {
      const [sha256, md5, sha1] = part.hashes.map((h) => h.digest('hex'));
      form.file = { name: part.filename, size: part.size, sha256: sha256 ?? '', md5: md5 ?? '', sha1: sha1 ?? '' };
    }
    part = undefined;
  };
  const step = (): boolean => {
    if (state === 'preamble' || state === 'body') {
      const at = buffer.indexOf(delimiter);
      if (at === -1) {
        const keep = Math.min(buffer.length, delimiter.length - 1);
        if (state === 'body') emit(buffer.subarray(0, buffer.length - keep));
        buffer = buffer.subarray(buffer.length - keep);
        return false;
      }
      if (state === 'body') emit(buffer.subarray(0, at));
      finish();
      buffer = buffer.subarray(at + delimiter.length);
      state = 'boundary';
      return true;
    }
    if (state === 'boundary') {
      if (buffer.length < 2) return false;
      state = buffer.subarray(0, 2).toString() === '--' ? 'end' : 'headers';
      buffer = buffer.subarray(2);
      return state !== 'end';
    }
    if (state === 'headers') {
      const at = buffer.indexOf('\r\n\r\n');
      if (at === -1) return false;
      part = { ...disposition(buffer.subarray(0, at).toString('utf8')), text: [], size: 0, hashes: ['sha256', 'md5', 'sha1'].map((a) => createHash(a)) };
      buffer = buffer.subarray(at + 4);
      state = 'body';
      return true;
    }
    return false;
  };

  for await (const chunk of body) {
    buffer = buffer.length === 0 ? (chunk as Buffer) : Buffer.concat([buffer, chunk as Buffer]);
    while (step()) { /* consume what is complete */ }
  }
  const ended = (): boolean => state === 'end';
  if (!ended()) throw new Error(`Expected a complete multipart body, stopped in ${state}`);
  return form;
}
