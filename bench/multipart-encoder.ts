/**
 * The hand-written encoder vt-guard used before undici's FormData, kept for bench/upload.ts to
 * compare against. A streamed `multipart/form-data` body: small text fields, then one file read
 * from its source as it is sent. The whole file is never held in memory, and the length is known up front so the
 * request carries a Content-Length (VirusTotal's upload endpoints want one).
 */
import { randomBytes } from 'node:crypto';
/** What the encoder reads: the file as a stream, opened once per body. */
export interface StreamedFile { name: string; size: number; open(): AsyncIterable<unknown> }

export interface MultipartBody {
  contentType: string;
  length: number;
  /** A fresh stream of the whole body; call once per attempt. */
  stream(): AsyncIterable<Uint8Array>;
}

/** Quotes a header parameter value (RFC 7578: `"` and line breaks must not end the value early). */
function quoted(value: string): string {
  return `"${value.replace(/[\r\n"]/g, (c) => encodeURIComponent(c))}"`;
}

/** Builds the body for `fields` plus `file` under the form field `fileField`. */
export function multipartBody(fields: Readonly<Record<string, string>>, fileField: string, file: StreamedFile): MultipartBody {
  const boundary = `----vt-guard-${randomBytes(12).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`,
  );
  const head = Buffer.from(
    `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name=${quoted(fileField)}; filename=${quoted(file.name)}\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + file.size + tail.length,
    async *stream() {
      yield head;
      for await (const chunk of file.open()) {
        yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
      }
      yield tail;
    },
  };
}
