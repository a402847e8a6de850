/**
 * The transport under both clients: one undici Agent (keep-alive, timeouts), the key, JSON, and the
 * mapping of every failure to a {@link VtError}. One `send` is exactly one HTTP request; retrying is
 * the gate's job.
 *
 * @see https://docs.virustotal.com/reference/errors
 */
import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Agent, FormData } from 'undici';
import { deadline } from '../core/timers.js';
import type { Logger } from '../log.js';
import { vtStatusOf, type Metrics, type VtStatus } from '../metrics.js';
import type { CallOptions, RequestGate } from './backend.js';
import { MalformedResponseError, NetworkError, TimeoutError, TooManyRequestsError, VtError } from './errors.js';
import { DEFAULT_MAX_RESPONSE_BYTES, readBodyCapped } from './http-body.js';
import { errorForStatus, retryAfterMs, scrub } from './http-errors.js';
import { endpointOf } from './endpoints.js';
import type { FileSource } from './backend.js';

export interface HttpTimeouts {
  /** TCP + TLS connect. */
  connectMs: number;
  /** Until the response headers arrive (uploads of large files count here: keep it generous). */
  headersMs: number;
  /** Longest silence while the body streams in. */
  bodyMs: number;
  /** How long an idle pooled connection is kept. */
  keepAliveMs: number;
  /**
   * Overall deadline of one request, from sending to the last byte of the answer: the timeouts
   * above only bound silences, so an answer trickling a byte a second would pass them all.
   */
  totalMs: number;
  /** Slowest upload rate waited for: an upload's deadline grows by its size at this rate. */
  uploadBytesPerSecond: number;
}

export const DEFAULT_TIMEOUTS: Readonly<HttpTimeouts> = Object.freeze({
  connectMs: 10_000,
  headersMs: 120_000,
  bodyMs: 60_000,
  keepAliveMs: 30_000,
  totalMs: 60_000,
  uploadBytesPerSecond: 1024 * 1024,
});

/** Error codes that come from reading the upload, not from the network. */
const LOCAL_FAULTS: ReadonlySet<string> = new Set(['ENOENT', 'EACCES', 'EISDIR', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);

/** `upload`: the file as the `file` field of a multipart form, streamed from disk. */
export type RequestBody = { json: unknown } | { form: Readonly<Record<string, string>> } | { upload: FileSource };

export interface VtRequest {
  method: 'GET' | 'POST';
  /** Path under the API base (`/files/…`), or an absolute URL (an upload URL VirusTotal handed out). */
  path: string;
  query?: Readonly<Record<string, string | number | undefined>>;
  body?: RequestBody;
  signal: AbortSignal;
}

export interface VtResponse {
  status: number;
  /** The request path as errors show it (no origin, no key). */
  path: string;
  /** Parsed JSON, or null for an empty body. */
  body: unknown;
}

export interface TransportOptions {
  apiKey: string;
  /** e.g. `https://www.virustotal.com` */
  origin: string;
  /** `/api/v3` or `/vtapi/v2` */
  basePath: string;
  /** v3 sends `x-apikey`; v2 sends `apikey` as a query or form parameter. */
  keyIn: 'header' | 'param';
  /**
   * v2's status conventions: 204 No Content = over the rate, 403 = wrong key (v3 uses 429 and 401).
   */
  legacyStatuses?: boolean;
  timeouts?: Partial<HttpTimeouts>;
  /** Answers larger than this are malformed (default 8 MB); reading stops at the cap. */
  maxResponseBytes?: number;
  log?: Logger;
  /** Counts each request by endpoint and answer, and times it (vtguard_vt_requests_total, …). */
  metrics?: Metrics;
}

export class VtTransport {
  readonly #options: TransportOptions;
  readonly #timeouts: HttpTimeouts;
  readonly #agent: Agent;
  readonly #maxResponseBytes: number;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#agent = new Agent({
      connect: { timeout: this.#timeouts.connectMs },
      keepAliveTimeout: this.#timeouts.keepAliveMs,
      headersTimeout: this.#timeouts.headersMs,
      bodyTimeout: this.#timeouts.bodyMs,
    });
  }

  /**
   * Sends one request under the overall deadline (`totalMs`, plus the upload's size at
   * `uploadBytesPerSecond`); resolves with 2xx JSON, rejects with a VtError (a TimeoutError when
   * the deadline passed) or the signal's reason.
   */
  async send(req: VtRequest): Promise<VtResponse> {
    const target = this.#target(req);
    const safePath = target.pathname + this.#safeSearch(target);
    const started = Date.now();
    const uploadBytes = req.body !== undefined && 'upload' in req.body ? req.body.upload.size : 0;
    const allowedMs = this.#timeouts.totalMs + (uploadBytes * 1000) / this.#timeouts.uploadBytesPerSecond;
    const limit = deadline(allowedMs, req.signal);
    const endpoint = endpointOf(this.#options.keyIn === 'param' ? 2 : 3, req.path);
    let status: VtStatus = 'network';
    try {
      const payload = await this.#payload(req);
      const res = await this.#agent.request({
        origin: target.origin,
        path: target.pathname + target.search,
        method: req.method,
        headers: payload.headers,
        body: payload.body,
        signal: limit.signal,
      });
      status = vtStatusOf(res.statusCode);
      const read = await readBodyCapped(res.body, res.headers['content-length'], this.#maxResponseBytes);
      this.#options.log?.debug({ method: req.method, path: safePath, status: res.statusCode, ms: Date.now() - started }, 'vt request');
      if (read.tooLarge && res.statusCode >= 200 && res.statusCode < 300) {
        throw new MalformedResponseError(`VirusTotal answered ${req.method} ${safePath} with more than ${this.#maxResponseBytes} bytes`, {
          status: res.statusCode, code: 'MalformedResponse', method: req.method, path: safePath,
        });
      }
      // An oversized error body is dropped: the status alone still says what happened.
      return this.#interpret(req.method, safePath, res.statusCode, res.headers['retry-after'], read.text);
    } catch (err) {
      if (req.signal.aborted) status = 'aborted';
      else if (limit.expired || err instanceof TimeoutError) status = 'timeout';
      if (req.signal.aborted) throw req.signal.reason;
      if (err instanceof VtError) throw err;
      if (limit.expired) {
        throw new TimeoutError(`${req.method} ${safePath} got no complete answer within ${Math.round(allowedMs)} ms`, {
          status: 0, code: 'DeadlineExceeded', method: req.method, path: safePath, cause: err,
        });
      }
      const failure = this.#transportError(err, req.method, safePath);
      if (failure instanceof TimeoutError) status = 'timeout';
      throw failure;
    } finally {
      limit.dispose();
      this.#options.metrics?.inc('vtguard_vt_requests_total', 'VirusTotal requests', { endpoint, status });
      this.#options.metrics?.observe('vtguard_vt_request_duration_seconds', { endpoint }, (Date.now() - started) / 1000);
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  #target(req: VtRequest): URL {
    const { origin, basePath } = this.#options;
    // Joined as text, not resolved, so an origin with a path prefix (a proxy) keeps it.
    const url = new URL(/^https?:\/\//.test(req.path) ? req.path : `${origin.replace(/\/+$/, '')}${basePath}${req.path}`);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    if (this.#options.keyIn === 'param' && req.method === 'GET') url.searchParams.set('apikey', this.#options.apiKey);
    return url;
  }

  /** The query without the key: what may appear in errors and logs. */
  #safeSearch(url: URL): string {
    const params = new URLSearchParams(url.searchParams);
    params.delete('apikey');
    const search = params.toString();
    return search === '' ? '' : `?${search}`;
  }

  /**
   * Headers and body together. An upload is undici's FormData holding `openAsBlob(path)`: undici
   * sets the boundary and the Content-Length VirusTotal wants, and streams the file from disk
   * (bench/upload.ts measured it against a hand-written encoder: same RSS, same throughput).
   */
  async #payload(req: VtRequest): Promise<{ headers: Record<string, string>; body: string | FormData | null }> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'vt-guard' };
    if (this.#options.keyIn === 'header') headers['x-apikey'] = this.#options.apiKey;
    const keyFields: Record<string, string> = this.#options.keyIn === 'param' ? { apikey: this.#options.apiKey } : {};
    const body = req.body;
    if (body === undefined) return { headers, body: null };
    if ('json' in body) return { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body.json) };
    if ('form' in body) {
      const form = new URLSearchParams({ ...body.form, ...keyFields }).toString();
      return { headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form };
    }
    const form = new FormData();
    for (const [name, value] of Object.entries(keyFields)) form.append(name, value);
    // Opened afresh for each attempt, so a retry sends the whole file again.
    // stat first: openAsBlob says only "Unable to open file as blob", stat says ENOENT or EACCES.
    await stat(body.upload.path);
    form.append('file', await openAsBlob(body.upload.path), body.upload.name);
    return { headers, body: form };
  }

  #interpret(method: string, path: string, status: number, retryAfter: string | string[] | undefined, text: string): VtResponse {
    const details = { status, method, path, ...retryAfterMs(retryAfter) };
    if (status === 204 && this.#options.legacyStatuses === true) {
      throw new TooManyRequestsError(`VirusTotal rate limit reached (204 No Content) for ${method} ${path}`, { ...details, code: 'TooManyRequestsError' });
    }
    if (status >= 200 && status < 300) {
      if (text.trim() === '') return { status, path, body: null };
      try {
        return { status, path, body: JSON.parse(text) as unknown };
      } catch (cause) {
        throw errorForStatus({ ...details, code: 'MalformedResponse', malformed: true, cause }, text, this.#options.apiKey);
      }
    }
    const code = status === 403 && this.#options.legacyStatuses === true ? 'WrongCredentialsError' : '';
    throw errorForStatus({ ...details, code }, text, this.#options.apiKey);
  }

  #transportError(err: unknown, method: string, path: string): VtError {
    const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'NetworkError';
    const reason = err instanceof Error ? err.message : String(err);
    const message = scrub(`${method} ${path} failed: ${reason}`, this.#options.apiKey);
    const details = { status: 0, code, method, path, cause: err };
    if (/TIMEOUT/.test(code)) return new TimeoutError(message, details);
    // Our own side failed (the file to upload vanished, or its size was wrong): sending again won't help.
    if (LOCAL_FAULTS.has(code)) return new VtError(message, details);
    return new NetworkError(message, details);
  }
}

/**
 * The key goes with the upload, so only an https URL (VirusTotal's own upload host) or one on the
 * configured origin (a proxy, the test double) is used.
 */
export function trustedUploadUrl(url: string, origin: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.origin === origin;
  } catch {
    return false;
  }
}

/** Reads a response body; `fail(what)` says what was missing (MalformedResponseError); `path` is key-free. */
export type ReadResponse<T> = (body: unknown, fail: (what: string) => never, path: string) => T;

/**
 * One VirusTotal request the way both clients make it: take a quota slot, send once, read the
 * JSON. Retries are the gate's, so each call of the send function is exactly one HTTP request.
 */
export function sendGated<T>(gate: RequestGate, http: VtTransport, req: Omit<VtRequest, 'signal'>, options: CallOptions, read: ReadResponse<T>): Promise<T> {
  return gate.run(async (signal) => {
    const res = await http.send({ ...req, signal });
    const fail = (what: string): never => {
      throw new MalformedResponseError(`VirusTotal answered ${req.method} ${res.path} without ${what}`, {
        status: res.status, code: 'MalformedResponse', method: req.method, path: res.path,
      });
    };
    return read(res.body, fail, res.path);
  }, options);
}
