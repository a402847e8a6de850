/**
 * A loopback VirusTotal for tests: a real HTTP server on 127.0.0.1 speaking API v3 (`/api/v3`) and
 * the legacy v2 (`/vtapi/v2`) with VirusTotal's JSON shapes, seeded with the EICAR file and a few
 * clean and malicious objects (ids in {@link SEED}).
 *
 * ```ts
 * const vt = await startVtDouble({ perWindow: 4, windowMs: 60_000, pollsUntilComplete: 2 });
 * const client = new VtClient({ apiKey: vt.apiKey, origin: vt.origin, gate });
 * // … exercise the code …
 * vt.requestsTo(/^\/api\/v3\/files\//).length   // how many requests hit /api/v3/files/…
 * vt.votesOn('file', SEED.eicar.sha256)         // [{ id, verdict: 'malicious', date }]
 * vt.commentsOn('url', urlSha256(url))          // comments posted, newest first
 * vt.violations                                 // requests that arrived beyond the quota
 * vt.fault({ path: /\/files\//, method: 'GET' }, { status: 503 }, { status: 503 }) // next two such requests fail
 * await vt.close();
 * ```
 *
 * Behaviour:
 * - Auth: v3 wants `x-apikey` (missing → 401 AuthenticationRequiredError, wrong → 401
 *   WrongCredentialsError); v2 wants `apikey` in the query or form (else 403, empty body). With
 *   `keyTier: 'public'`, v2's private endpoints (`file/rescan`, `file/scan/upload_url`) answer the
 *   same bare 403 to the right key, as VirusTotal does.
 * - v2 domain and IP reports list as `detected_urls` the known URLs on that host that engines
 *   flagged (`positives` of `total`), like VirusTotal's recent sample.
 * - Quota: every authenticated request (v3, v2, uploads) counts against a sliding window
 *   (`perWindow` per `windowMs`) and a UTC-day budget (`perDay`). Beyond them the double answers
 *   429 TooManyRequestsError (window; see `windowLimitCode`) / 429 QuotaExceededError (day) on v3
 *   and 204 on v2, and counts a violation. `retryAfter: true` adds a Retry-After header (seconds).
 * - Unknown objects: 404 NotFoundError (v3), `response_code: 0` (v2). Submitting an unknown URL or
 *   uploading an unknown file creates an analysis that answers `queued`, then `in-progress`, and
 *   `completed` on poll number `pollsUntilComplete` (v2: `response_code -2` until then); only then
 *   does the object exist. Seed it first with `known: false` to choose what the analysis finds.
 * - Uploads (multipart) are read as a stream and hashed (sha256/md5/sha1), never buffered;
 *   `GET /api/v3/files/upload_url` (v2: `/vtapi/v2/file/scan/upload_url`) hands out a single-use
 *   URL on this server.
 * - Faults: `fault(match, ...steps)` queues scripted answers for matching requests, consumed one per
 *   request, before auth and quota (a faulted request does not count against the quota). A step is
 *   `{ status, body?, headers?, delayMs? }` (a string body is sent verbatim: plain text, broken
 *   JSON), `{ delayMs }` alone (answer normally, late), `{ drop: true }` (socket destroyed before
 *   any answer), `{ truncate: true }` (headers and half a body, then the socket is destroyed),
 *   `{ trickleMs }` (the body one byte at a time) or `{ bodyBytes, lengthHeader? }` (a huge body,
 *   streamed with backpressure); the last two record `bytesSent`.
 * - The log (`requests`) holds method, path, query and small JSON/form bodies (for multipart: the
 *   fields and the file's name/size/sha256), never the key.
 */
import type { UploadedFile } from './vt-double/multipart.js';
import type { FileSpec, Kind, ObjectSpec, StoredComment, StoredObject, StoredVote } from './vt-double/store.js';

export { SEED } from './vt-double/seed.js';
export { EICAR } from './vt-double/store.js';
export type { VerdictSpec } from './vt-double/engines.js';
export type { FileSpec, ObjectSpec, StoredComment, StoredObject, StoredVote } from './vt-double/store.js';
export type { UploadedFile } from './vt-double/multipart.js';

export interface VtDoubleOptions {
  /** The key the double accepts; default `test-api-key-0123456789`. */
  apiKey: string;
  /** Requests admitted per sliding window; default 4. */
  perWindow: number;
  /** Window length; default 60 000 ms. */
  windowMs: number;
  /** Requests admitted per UTC day; default 500. */
  perDay: number;
  /** The poll of an analysis that first answers `completed`; default 2. */
  pollsUntilComplete: number;
  /**
   * The v3 error code for a per-window refusal; default `TooManyRequestsError`. VirusTotal's docs
   * list 429 `QuotaExceededError` for "one of your quotas (minute, daily or monthly)", so set
   * `QuotaExceededError` to see how the gate copes with a minute overrun reported that way.
   */
  windowLimitCode: 'TooManyRequestsError' | 'QuotaExceededError';
  /** Send Retry-After (seconds) with quota refusals; default false (VirusTotal does not). */
  retryAfter: boolean;
  /** Seed the objects in {@link SEED}; default true. */
  seed: boolean;
  /** Time source for the quota and the log; default Date.now. */
  clock: () => number;
  /** `premium` (default) may use v2's private endpoints; `public` gets 403 there. */
  keyTier: 'public' | 'premium';
}

export interface RecordedRequest {
  method: string;
  /** Full path, e.g. `/api/v3/files/<sha256>` (no query). */
  path: string;
  api: 'v3' | 'v2' | 'upload' | 'other';
  /** Query parameters, without `apikey`. */
  query: Record<string, string>;
  /** Parsed JSON or form body (form without `apikey`); for multipart `{ fields, file }`. */
  body?: unknown;
  at: number;
  /** Status answered; 0 when the connection was dropped. */
  status: number;
  /** Answered by a scripted fault. */
  faulted: boolean;
  /** Refused for being beyond the quota. */
  violation: boolean;
  /** The request's Content-Length header, when it had one (VirusTotal's upload endpoints want one). */
  contentLength?: number;
  /** Body bytes written, for the streamed fault steps (`trickleMs`, `bodyBytes`). */
  bytesSent?: number;
}

export interface FaultStep {
  status?: number;
  body?: string | Record<string, unknown>;
  headers?: Record<string, string>;
  delayMs?: number;
  drop?: boolean;
  truncate?: boolean;
  /** Answer (status, default 200) at once, then send the body one byte every `trickleMs`. */
  trickleMs?: number;
  /** Answer 200 with a JSON body of this many bytes, streamed with backpressure. */
  bodyBytes?: number;
  /** With `bodyBytes`: send a Content-Length (default true); false streams it chunked. */
  lengthHeader?: boolean;
}

export interface FaultMatch {
  method?: string;
  /** Exact path (`/api/v3/files/…`) or a pattern tested against it. */
  path: string | RegExp;
}

export interface VtDouble {
  /** `http://127.0.0.1:<port>`: pass as the client's origin. */
  readonly origin: string;
  readonly apiKey: string;
  /** Every request received, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Requests whose path equals `path` or matches it (and the method, when given). */
  requestsTo(path: string | RegExp, method?: string): RecordedRequest[];
  /** Requests that arrived beyond the quota. */
  readonly violations: number;
  /** Requests currently counted in the window and today. */
  usage(): { window: number; day: number };
  /** Changes limits from now on. */
  setQuota(limits: Partial<{ perWindow: number; windowMs: number; perDay: number }>): void;
  /** Forgets the quota use so far. */
  resetQuota(): void;
  /** Changes the key's tier from now on (see {@link VtDoubleOptions.keyTier}). */
  setKeyTier(tier: VtDoubleOptions['keyTier']): void;
  /** Queues scripted answers for the next requests matching `match`. */
  fault(match: FaultMatch, ...steps: FaultStep[]): void;
  addFile(spec: FileSpec): StoredObject;
  addUrl(url: string, spec?: ObjectSpec & { title?: string; categories?: Record<string, string> }): StoredObject;
  addDomain(name: string, spec?: ObjectSpec & { categories?: Record<string, string>; registrar?: string }): StoredObject;
  addIp(ip: string, spec?: ObjectSpec & { owner?: string; asn?: number; country?: string; network?: string }): StoredObject;
  /** A stored object (known or not); files also by md5/sha1, URLs by the sha256 of the canonical URL. */
  object(kind: Kind, id: string): StoredObject | undefined;
  /** Votes posted on an object, newest first. */
  votesOn(kind: Kind, id: string): StoredVote[];
  /** Comments posted on an object, newest first. */
  commentsOn(kind: Kind, id: string): StoredComment[];
  /** Files received by uploads, in order. */
  readonly uploads: readonly UploadedFile[];
  close(): Promise<void>;
}

export { startVtDouble } from './vt-double/server.js';
