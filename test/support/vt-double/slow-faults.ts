/**
 * The fault steps that stream: a body trickled a byte at a time (a peer holding a slot for ever)
 * and a huge body written with backpressure (a report that would grow the heap). Both record how
 * many body bytes went out, so a test can prove the client stopped reading.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultStep, RecordedRequest } from '../vt-double.js';

type Sleep = (ms: number) => Promise<void>;

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req) { /* read and forget */ }
}

/** Resolves false once the client went away, true when the buffered bytes were flushed. */
function flushed(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => (): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** `trickleMs`: headers at once, then the body one byte every `trickleMs` until done or hung up. */
export async function playTrickle(step: FaultStep & { trickleMs: number }, req: IncomingMessage, res: ServerResponse, record: RecordedRequest, sleep: Sleep): Promise<void> {
  await drain(req);
  const text = typeof step.body === 'string' ? step.body : JSON.stringify(step.body ?? { data: { id: 'trickled', type: 'domain', attributes: {} } });
  record.status = step.status ?? 200;
  record.bytesSent = 0;
  res.writeHead(record.status, { 'content-type': 'application/json', ...step.headers });
  let closed = false;
  res.on('close', () => { closed = true; });
  for (const byte of Buffer.from(text)) {
    if (closed) return;
    res.write(Buffer.of(byte));
    record.bytesSent += 1;
    await sleep(step.trickleMs);
  }
  if (!closed) res.end();
}

/** `bodyBytes`: a 200 whose JSON body is that long, written in 64 KiB chunks with backpressure. */
export async function playHugeBody(step: FaultStep & { bodyBytes: number }, req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
  await drain(req);
  const head = Buffer.from('{"data":"');
  const tail = Buffer.from('"}');
  const size = Math.max(step.bodyBytes, head.length + tail.length);
  record.status = step.status ?? 200;
  record.bytesSent = 0;
  res.writeHead(record.status, {
    'content-type': 'application/json',
    ...(step.lengthHeader === false ? {} : { 'content-length': String(size) }),
  });
  let closed = false;
  res.on('close', () => { closed = true; });
  const filler = Buffer.alloc(64 * 1024, 'x');
  const write = async (chunk: Buffer): Promise<boolean> => {
    if (closed) return false;
    record.bytesSent = (record.bytesSent ?? 0) + chunk.length;
    return res.write(chunk) || flushed(res);
  };
  if (!(await write(head))) return;
  for (let left = size - head.length - tail.length; left > 0; left -= filler.length) {
    if (!(await write(filler.subarray(0, Math.min(left, filler.length))))) return;
  }
  if (await write(tail)) res.end();
}
