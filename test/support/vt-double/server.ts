/** The HTTP side of the VirusTotal double: log, faults, auth, quota, then the v3/v2 routes. */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultMatch, FaultStep, RecordedRequest, VtDouble, VtDoubleOptions } from '../vt-double.js';
import type { Incoming, Reply, RouteContext } from './context.js';
import { v3Error } from './context.js';
import { boundaryOf, readMultipart } from './multipart.js';
import type { UploadedFile } from './multipart.js';
import { DoubleQuota } from './quota.js';
import { routeV2, uploadReplyV2 } from './routes-v2.js';
import { routeV3, uploadReply } from './routes-v3.js';
import { seed } from './seed.js';
import { playHugeBody, playTrickle } from './slow-faults.js';
import { Store } from './store.js';
import type { Kind } from './store.js';

const DEFAULTS: Readonly<VtDoubleOptions> = Object.freeze({
  apiKey: 'test-api-key-0123456789', perWindow: 4, windowMs: 60_000, perDay: 500, pollsUntilComplete: 2,
  windowLimitCode: 'TooManyRequestsError', retryAfter: false, seed: true, clock: () => Date.now(), keyTier: 'premium',
});

type Api = RecordedRequest['api'];

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads the body by content type; returns a 400 reply for a body that cannot be read. */
async function readIncoming(req: IncomingMessage, incoming: Incoming): Promise<Reply | null> {
  const type = req.headers['content-type'] ?? '';
  const boundary = boundaryOf(type);
  try {
    if (boundary !== null) incoming.multipart = await readMultipart(req, boundary);
    else if (type.startsWith('application/json')) incoming.json = JSON.parse(await readText(req)) as unknown;
    else if (type.startsWith('application/x-www-form-urlencoded')) incoming.form = Object.fromEntries(new URLSearchParams(await readText(req)));
    else await readText(req);
    return null;
  } catch (err) {
    return v3Error(400, 'BadRequestError', `Unreadable body: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function withoutKey(values: Record<string, string>): Record<string, string> {
  const { apikey: _key, ...rest } = values;
  return rest;
}

function loggedBody(incoming: Incoming): unknown {
  if (incoming.multipart !== undefined) {
    const file = incoming.multipart.file;
    return { fields: withoutKey(incoming.multipart.fields), ...(file === undefined ? {} : { file: { name: file.name, size: file.size, sha256: file.sha256 } }) };
  }
  return incoming.form === undefined ? incoming.json : withoutKey(incoming.form);
}

/** Starts the double on 127.0.0.1 and a free port. */
export async function startVtDouble(options: Partial<VtDoubleOptions> = {}): Promise<VtDouble> {
  const o: VtDoubleOptions = { ...DEFAULTS, ...options };
  const store = new Store();
  if (o.seed) seed(store);
  const quota = new DoubleQuota({ perWindow: o.perWindow, windowMs: o.windowMs, perDay: o.perDay }, o.clock);
  const requests: RecordedRequest[] = [];
  const uploads: UploadedFile[] = [];
  const faults: { match: FaultMatch; steps: FaultStep[] }[] = [];
  const uploadTokens = new Map<string, 'v3' | 'v2'>();
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';

  const ctx: RouteContext = {
    store,
    get origin() { return origin; },
    pollsUntilComplete: o.pollsUntilComplete,
    keyTier: o.keyTier,
    newUploadUrl(api) {
      const token = randomBytes(12).toString('hex');
      uploadTokens.set(token, api);
      return `${origin}/_upload/${token}`;
    },
    recordUpload(file) { uploads.push(file); },
  };

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => {
    const timer = setTimeout(() => { timers.delete(timer); resolve(); }, ms);
    timers.add(timer);
  });

  const matches = (match: FaultMatch, method: string, path: string): boolean =>
    (match.method === undefined || match.method.toUpperCase() === method) && (typeof match.path === 'string' ? match.path === path : match.path.test(path));

  function takeFault(method: string, path: string): FaultStep | undefined {
    const entry = faults.find((f) => f.steps.length > 0 && matches(f.match, method, path));
    return entry?.steps.shift();
  }

  function send(res: ServerResponse, reply: Reply, record: RecordedRequest): void {
    record.status = reply.status;
    const json = typeof reply.body === 'object';
    const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const headers: Record<string, string> = { 'content-type': json ? 'application/json' : 'text/plain; charset=utf-8', ...reply.headers };
    if (reply.status === 204) {
      res.writeHead(204, reply.headers).end();
      return;
    }
    res.writeHead(reply.status, { ...headers, 'content-length': String(Buffer.byteLength(text)) }).end(text);
  }

  /** Plays one fault step; true when it answered (or dropped) the request. */
  async function playFault(step: FaultStep, req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<boolean> {
    if (step.delayMs !== undefined) await sleep(step.delayMs);
    record.faulted = step.drop === true || step.truncate === true || step.status !== undefined || step.trickleMs !== undefined || step.bodyBytes !== undefined;
    if (step.trickleMs !== undefined) {
      await playTrickle({ ...step, trickleMs: step.trickleMs }, req, res, record, sleep);
      return true;
    }
    if (step.bodyBytes !== undefined) {
      await playHugeBody({ ...step, bodyBytes: step.bodyBytes }, req, res, record);
      return true;
    }
    if (step.drop === true) {
      req.socket.destroy();
      return true;
    }
    if (step.truncate === true) {
      await readText(req);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('{"data": {"id": "trunc');
      setImmediate(() => req.socket.destroy());
      return true;
    }
    if (step.status === undefined) return false;
    await readText(req);
    send(res, { status: step.status, ...(step.body === undefined ? {} : { body: step.body }), ...(step.headers === undefined ? {} : { headers: step.headers }) }, record);
    return true;
  }

  function authorised(api: Api, incoming: Incoming, req: IncomingMessage, uploadApi: 'v3' | 'v2' | undefined): Reply | null {
    const dialect = api === 'upload' ? uploadApi ?? 'v3' : api;
    if (dialect === 'v2') {
      const key = incoming.query.get('apikey') ?? incoming.form?.apikey ?? incoming.multipart?.fields.apikey;
      return key === o.apiKey ? null : { status: 403, body: '' };
    }
    const key = req.headers['x-apikey'];
    if (key === undefined) return v3Error(401, 'AuthenticationRequiredError', 'X-Apikey header is missing');
    return key === o.apiKey ? null : v3Error(401, 'WrongCredentialsError', 'Wrong API key');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const api: Api = path.startsWith('/api/v3/') ? 'v3' : path.startsWith('/vtapi/v2/') ? 'v2' : path.startsWith('/_upload/') ? 'upload' : 'other';
    const record: RecordedRequest = { method, path, api, query: withoutKey(Object.fromEntries(url.searchParams)), at: o.clock(), status: 0, faulted: false, violation: false };
    if (req.headers['content-length'] !== undefined) record.contentLength = Number(req.headers['content-length']);
    requests.push(record);
    const step = takeFault(method, path);
    if (step !== undefined && (await playFault(step, req, res, record))) return;
    const below = api === 'v3' ? path.slice('/api/v3'.length) : api === 'v2' ? path.slice('/vtapi/v2'.length) : path;
    const incoming: Incoming = { method, path: below, query: url.searchParams };
    const unreadable = await readIncoming(req, incoming);
    const body = loggedBody(incoming);
    if (body !== undefined) record.body = body;
    if (unreadable !== null) return send(res, unreadable, record);
    if (api === 'other') return send(res, { status: 404, body: 'Not Found' }, record);
    const token = api === 'upload' ? path.slice('/_upload/'.length) : '';
    const uploadApi = uploadTokens.get(token);
    const denied = authorised(api, incoming, req, uploadApi);
    if (denied !== null) return send(res, denied, record);
    const admission = quota.admit();
    if (!admission.ok) {
      record.violation = true;
      const headers = o.retryAfter ? { 'retry-after': String(Math.ceil(admission.retryAfterMs / 1000)) } : undefined;
      const reply: Reply = api === 'v2' || uploadApi === 'v2'
        ? { status: 204 }
        : admission.limit === 'window'
          ? v3Error(429, o.windowLimitCode, 'Too many requests')
          : v3Error(429, 'QuotaExceededError', 'Quota exceeded');
      return send(res, headers === undefined ? reply : { ...reply, headers }, record);
    }
    if (api === 'upload') {
      if (uploadApi === undefined || method !== 'POST') return send(res, v3Error(400, 'BadRequestError', 'Invalid or used upload URL'), record);
      uploadTokens.delete(token);
      return send(res, uploadApi === 'v2' ? uploadReplyV2(ctx, incoming) : uploadReply(ctx, incoming), record);
    }
    return send(res, api === 'v3' ? routeV3(ctx, incoming) : routeV2(ctx, incoming), record);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(`double failed: ${String(err)}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const find = (kind: Kind, id: string) => store.find(kind, kind === 'url' && /^https?:/i.test(id) ? store.addressOf(id) : id);
  return {
    get origin() { return origin; },
    apiKey: o.apiKey,
    requests,
    requestsTo: (path, method) => requests.filter((r) => (method === undefined || r.method === method.toUpperCase()) && (typeof path === 'string' ? r.path === path : path.test(r.path))),
    get violations() { return quota.violations; },
    usage: () => quota.usage(),
    setQuota(limits) { quota.limits = { ...quota.limits, ...limits }; },
    resetQuota() { quota.reset(); },
    setKeyTier(tier) { ctx.keyTier = tier; },
    fault(match, ...steps) { faults.push({ match, steps }); },
    addFile: (spec) => store.addFile(spec),
    addUrl: (url, spec) => store.addUrl(url, spec),
    addDomain: (name, spec) => store.addDomain(name, spec),
    addIp: (ip, spec) => store.addIp(ip, spec),
    object: find,
    votesOn: (kind, id) => find(kind, id)?.votes ?? [],
    commentsOn: (kind, id) => find(kind, id)?.comments ?? [],
    uploads,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
