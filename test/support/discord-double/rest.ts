/**
 * REST plumbing: body parsing (JSON and multipart `payload_json` + `files[n]`), bot-token auth,
 * scripted faults (429/5xx), Discord-style errors, rate-limit headers, and the call recorder.
 * Route handlers live in routes-*.ts.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UploadedFile } from './store.js';

/** One request the bot made, as the double saw it. */
export interface RecordedCall {
  /** 1-based order of arrival. */
  seq: number;
  method: string;
  /** Path after `/api/v10`, e.g. `/channels/123/messages` (the full path for unknown prefixes). */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or the parsed `payload_json` part of a multipart body; `undefined` when none. */
  body: unknown;
  files: { field: string; filename: string; contentType: string; size: number }[];
  /** Lower-cased request headers, without `authorization`. */
  headers: Record<string, string>;
  status: number;
  /** What the double answered (parsed JSON), `undefined` for 204. */
  response: unknown;
  /** True when a scripted fault answered instead of the route. */
  faulted: boolean;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** `performance.now()` when the request arrived: for latency figures finer than a millisecond. */
  arrivedAt: number;
}

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown by handlers; turned into `{ message, code }` as Discord answers. */
export class DiscordHttpError extends Error {
  constructor(readonly status: number, readonly code: number, message: string, readonly errors?: Record<string, unknown>) {
    super(message);
  }
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Interaction callbacks and webhook routes are authenticated by their token, not the bot token. */
  auth: boolean;
  handle: (req: RestRequest, params: string[]) => RestResponse | Promise<RestResponse>;
}

/** A scripted answer for the next `times` calls matching `method` and `path`. */
export interface Fault {
  /** HTTP method, or `*` for any (default). */
  method?: string;
  /** Exact path after `/api/v10`, or a pattern tested against it. */
  path: string | RegExp;
  times?: number;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RateLimitFault {
  method?: string;
  path: string | RegExp;
  times?: number;
  /** Seconds. Discord rounds the header up to whole seconds; the double sends it as given to keep tests fast. */
  retryAfter?: number;
  global?: boolean;
  scope?: 'user' | 'global' | 'shared';
}

/** A fault whose answer is built when it fires (so reset timestamps are relative to that moment). */
type PendingFault = Omit<Fault, 'status' | 'body' | 'headers'> & { remaining: number; answer: () => RestResponse };

export class RestRecorder extends EventEmitter {
  readonly calls: RecordedCall[] = [];
  #faults: PendingFault[] = [];

  addFault(fault: Fault): void {
    const answer = (): RestResponse => ({ status: fault.status, body: fault.body, headers: fault.headers ?? {} });
    this.#faults.push({ method: fault.method ?? '*', path: fault.path, remaining: fault.times ?? 1, answer });
  }

  rateLimit(spec: RateLimitFault): void {
    const retryAfter = spec.retryAfter ?? 0.05;
    const global = spec.global ?? false;
    const scope = spec.scope ?? (global ? 'global' : 'user');
    const answer = (): RestResponse => ({
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global, ...(global ? {} : { code: 0 }) },
      headers: {
        'retry-after': String(retryAfter), 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': (Date.now() / 1000 + retryAfter).toFixed(3), 'x-ratelimit-reset-after': retryAfter.toFixed(3),
        'x-ratelimit-scope': scope, ...(global ? { 'x-ratelimit-global': 'true' } : {}),
      },
    });
    this.#faults.push({ method: spec.method ?? '*', path: spec.path, remaining: spec.times ?? 1, answer });
  }

  takeFault(method: string, path: string): RestResponse | undefined {
    const fault = this.#faults.find((f) => {
      const methodMatches = f.method === undefined || f.method === '*' || f.method.toUpperCase() === method;
      return methodMatches && (typeof f.path === 'string' ? f.path === path : f.path.test(path));
    });
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults = this.#faults.filter((f) => f !== fault);
    return fault.answer();
  }

  record(call: Omit<RecordedCall, 'seq'>): RecordedCall {
    const full = { seq: this.calls.length + 1, ...call };
    this.calls.push(full);
    this.emit('call', full);
    return full;
  }
}

export interface RestOptions {
  token: string;
  routes: Route[];
  recorder: RestRecorder;
  /** Delay before every REST answer, to shake out ordering assumptions. */
  latencyMs: number;
}

/** Serves one request under `/api/v10` (or records a 404 for anything else it is handed). */
export async function serveRest(req: IncomingMessage, res: ServerResponse, url: URL, opts: RestOptions): Promise<void> {
  const at = Date.now();
  const arrivedAt = performance.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const raw = await readBody(req);
  const { body, files } = await parseBody(raw, req.headers['content-type']);
  const prefix = '/api/v10';
  // discord.js percent-encodes `@original` and emoji; routes and the record see them decoded.
  const decoded = url.pathname.split('/').map(safeDecode).join('/');
  const path = decoded.startsWith(`${prefix}/`) ? decoded.slice(prefix.length) : decoded;
  const answer = await route(opts, method, path, url, body, files, req.headers.authorization);
  if (opts.latencyMs > 0) await new Promise((r) => setTimeout(r, opts.latencyMs));
  const headers: Record<string, string> = { ...rateLimitHeaders(method, path), ...answer.response.headers };
  if (answer.response.body !== undefined) headers['content-type'] = 'application/json';
  res.writeHead(answer.response.status, headers);
  res.end(answer.response.body === undefined ? undefined : JSON.stringify(answer.response.body));
  opts.recorder.record({
    method, path, query: Object.fromEntries(url.searchParams), body,
    files: files.map((f) => ({ field: f.field, filename: f.filename, contentType: f.contentType, size: f.bytes.length })),
    headers: recordedHeaders(req), status: answer.response.status, response: answer.response.body,
    faulted: answer.faulted, at, arrivedAt,
  });
}

async function route(
  opts: RestOptions, method: string, path: string, url: URL, body: unknown, files: UploadedFile[], auth: string | undefined,
): Promise<{ response: RestResponse; faulted: boolean }> {
  if (!url.pathname.startsWith('/api/v10/')) return { response: errorResponse(404, 0, '404: Not Found'), faulted: false };
  for (const r of opts.routes) {
    if (r.method !== method) continue;
    const match = r.pattern.exec(path);
    if (!match) continue;
    if (r.auth && auth !== `Bot ${opts.token}`) return { response: errorResponse(401, 0, '401: Unauthorized'), faulted: false };
    const fault = opts.recorder.takeFault(method, path);
    if (fault) return { response: fault, faulted: true };
    try {
      return { response: await r.handle({ method, path, query: url.searchParams, body, files }, match.slice(1)), faulted: false };
    } catch (error) {
      if (error instanceof DiscordHttpError) {
        return { response: errorResponse(error.status, error.code, error.message, error.errors), faulted: false };
      }
      return { response: errorResponse(500, 0, `double failed: ${String(error)}`), faulted: false };
    }
  }
  const fault = opts.recorder.takeFault(method, path);
  if (fault) return { response: fault, faulted: true };
  return { response: errorResponse(404, 0, '404: Not Found'), faulted: false };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function errorResponse(status: number, code: number, message: string, errors?: Record<string, unknown>): RestResponse {
  return { status, body: errors ? { message, code, errors } : { message, code } };
}

/** Plausible per-route bucket headers, never exhausted, so discord.js's limiter stays quiet unless a fault says otherwise. */
function rateLimitHeaders(method: string, path: string): Record<string, string> {
  const bucket = createHash('sha1').update(`${method} ${path.replace(/\d{16,}/g, ':id')}`).digest('hex').slice(0, 16);
  return {
    'x-ratelimit-bucket': bucket, 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '49',
    'x-ratelimit-reset': (Date.now() / 1000 + 1).toFixed(3), 'x-ratelimit-reset-after': '1.000',
  };
}

function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (key === 'authorization' || value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(raw: Buffer, contentType: string | undefined): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    // The platform's own multipart parser: the same one undici uses to build these bodies.
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value) as unknown;
      } else {
        files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', bytes: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text) as unknown, files: [] };
  } catch {
    return { body: text, files: [] };
  }
}
