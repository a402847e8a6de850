/** The v3 endpoints of the double (`/api/v3/…`). */
import { createHash } from 'node:crypto';
import { canonicalUrl } from '../../../src/vt/ids.js';
import type { Incoming, Reply, RouteContext } from './context.js';
import { notFound, v3Error } from './context.js';
import type { UploadedFile } from './multipart.js';
import type { Analysis, Kind, RelationshipName, StoredObject } from './store.js';
import { API_LINK } from './store.js';

const COLLECTIONS: Readonly<Record<string, Kind>> = { files: 'file', urls: 'url', domains: 'domain', ip_addresses: 'ip' };
const RELATIONSHIPS = new Set<string>(['contacted_urls', 'contacted_domains', 'contacted_ips']);

/** The stored-object id for a path id: URL ids may be sha256 or unpadded base64url of the URL. */
function objectId(kind: Kind, raw: string): string | null {
  if (kind !== 'url' || /^[0-9a-f]{64}$/.test(raw)) return raw;
  try {
    return createHash('sha256').update(canonicalUrl(Buffer.from(raw, 'base64url').toString('utf8'))).digest('hex');
  } catch {
    return null;
  }
}

function analysisCreated(analysis: Analysis): Reply {
  return { status: 200, body: { data: { type: 'analysis', id: analysis.id, links: { self: `${API_LINK}/analyses/${analysis.id}` } } } };
}

/** An uploaded file: analysed again when known, otherwise stored as unknown until its analysis completes. */
export function acceptUpload(ctx: RouteContext, file: UploadedFile): Analysis {
  ctx.recordUpload(file);
  const object = ctx.store.find('file', file.sha256) ?? ctx.store.addFile({
    sha256: file.sha256, md5: file.md5, sha1: file.sha1, size: file.size, name: file.name, known: false,
    verdict: { undetected: 60, unsupported: 10 },
  });
  return ctx.store.analyse('file', object);
}

export function uploadReply(ctx: RouteContext, req: Incoming): Reply {
  const file = req.multipart?.file;
  if (file === undefined) return v3Error(400, 'BadRequestError', 'Expected a multipart form with a "file" part');
  return analysisCreated(acceptUpload(ctx, file));
}

function submitUrl(ctx: RouteContext, req: Incoming): Reply {
  const url = req.form?.url;
  if (url === undefined || url === '') return v3Error(400, 'BadRequestError', 'Expected a form field "url"');
  let canonical: string;
  try {
    canonical = canonicalUrl(url);
  } catch {
    return v3Error(400, 'InvalidArgumentError', `Unable to canonicalize url: ${url}`);
  }
  const object = ctx.store.find('url', createHash('sha256').update(canonical).digest('hex'))
    ?? ctx.store.addUrl(canonical, { known: false, verdict: { harmless: 55, undetected: 20 } });
  return analysisCreated(ctx.store.analyse('url', object));
}

function getAnalysis(ctx: RouteContext, id: string): Reply {
  const analysis = ctx.store.analyses.get(id);
  if (analysis === undefined) return notFound(`Analysis "${id}"`);
  const status = ctx.store.poll(analysis, ctx.pollsUntilComplete);
  const object = ctx.store.find(analysis.kind, analysis.objectId);
  const attrs = object?.attributes ?? {};
  const done = status === 'completed';
  const meta = analysis.kind === 'file'
    ? { file_info: { sha256: attrs.sha256, md5: attrs.md5, sha1: attrs.sha1, size: attrs.size } }
    : { url_info: { id: analysis.objectId, url: attrs.url } };
  return {
    status: 200,
    body: {
      data: {
        id: analysis.id, type: 'analysis', links: { self: `${API_LINK}/analyses/${analysis.id}` },
        attributes: {
          date: analysis.date, status,
          stats: done ? attrs.last_analysis_stats : { malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0 },
          results: done ? attrs.last_analysis_results : {},
        },
      },
      meta,
    },
  };
}

/** `?limit=&cursor=` over a list; the cursor is the next offset. */
function paged<T>(items: T[], query: URLSearchParams, render: (item: T) => unknown, self: string): Reply {
  const limit = Math.min(40, Math.max(1, Number(query.get('limit') ?? '10') || 10));
  const offset = Number(Buffer.from(query.get('cursor') ?? '', 'base64url').toString() || '0') || 0;
  const slice = items.slice(offset, offset + limit);
  const more = offset + limit < items.length;
  const cursor = more ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
  return {
    status: 200,
    body: { data: slice.map(render), meta: { count: items.length, ...(cursor === undefined ? {} : { cursor }) }, links: { self, ...(cursor === undefined ? {} : { next: `${self}?cursor=${cursor}` }) } },
  };
}

function related(rel: RelationshipName, value: string): { kind: Kind; id: string; type: string } {
  if (rel === 'contacted_urls') {
    const id = createHash('sha256').update(canonicalUrl(value)).digest('hex');
    return { kind: 'url', id, type: 'url' };
  }
  return rel === 'contacted_ips' ? { kind: 'ip', id: value, type: 'ip_address' } : { kind: 'domain', id: value, type: 'domain' };
}

function objectSubroute(ctx: RouteContext, req: Incoming, object: StoredObject, sub: string, rel: string | undefined): Reply {
  const self = `${API_LINK}${req.path}`;
  if (sub === 'comments' && req.method === 'GET') return paged(object.comments, req.query, (c) => ({ type: 'comment', id: c.id, attributes: { date: c.date, text: c.text, votes: { positive: 0, negative: 0, abuse: 0 }, tags: [] } }), self);
  if (sub === 'votes' && req.method === 'GET') return paged(object.votes, req.query, (v) => ({ type: 'vote', id: v.id, attributes: { date: v.date, verdict: v.verdict, value: 1 } }), self);
  if (sub === 'comments' || sub === 'votes') return postSocial(object, sub, req.json);
  if (sub === 'analyse' && object.kind === 'file' && req.method === 'POST') return analysisCreated(ctx.store.analyse('file', object));
  if (sub === 'behaviour_summary' && object.kind === 'file') return object.behaviour === undefined ? notFound('Behaviour summary') : { status: 200, body: { data: object.behaviour } };
  if (sub === 'network_location' && object.kind === 'url') {
    const host = new URL(String(object.attributes.url)).hostname;
    const location = ctx.store.get('domain', host) ?? ctx.store.get('ip', host);
    return location === undefined ? notFound(`Network location ${host}`) : { status: 200, body: { data: ctx.store.render(location) } };
  }
  const relName = sub === 'relationships' ? rel : sub;
  if (relName !== undefined && RELATIONSHIPS.has(relName) && req.method === 'GET') {
    const list = (object.relationships[relName as RelationshipName] ?? []).map((value) => related(relName as RelationshipName, value));
    const descriptorsOnly = sub === 'relationships';
    return paged(list, req.query, (item) => {
      const stored = ctx.store.get(item.kind, item.id);
      return descriptorsOnly || stored === undefined ? { type: item.type, id: item.id } : ctx.store.render(stored);
    }, self);
  }
  return v3Error(404, 'NotFoundError', `Resource not found: ${req.path}`);
}

function postSocial(object: StoredObject, sub: 'comments' | 'votes', json: unknown): Reply {
  const data = (json as { data?: { type?: unknown; attributes?: { text?: unknown; verdict?: unknown } } } | undefined)?.data;
  const date = Math.floor(Date.now() / 1000);
  const prefix = object.kind === 'ip' ? 'i' : object.kind.charAt(0);
  if (sub === 'comments') {
    const text = data?.attributes?.text;
    if (data?.type !== 'comment' || typeof text !== 'string' || text === '') return v3Error(400, 'BadRequestError', 'Expected {"data":{"type":"comment","attributes":{"text":…}}}');
    const comment = { id: `${prefix}-${object.id}-${object.comments.length + 1}`, text, date };
    object.comments.unshift(comment);
    return { status: 200, body: { data: { type: 'comment', id: comment.id, attributes: { date, text, votes: { positive: 0, negative: 0, abuse: 0 }, tags: [] } } } };
  }
  const verdict = data?.attributes?.verdict;
  if (data?.type !== 'vote' || (verdict !== 'malicious' && verdict !== 'harmless')) return v3Error(400, 'BadRequestError', 'Expected {"data":{"type":"vote","attributes":{"verdict":"malicious"|"harmless"}}}');
  const vote = { id: `${prefix}-${object.id}-${object.votes.length + 1}`, verdict, date };
  object.votes.unshift(vote);
  const totals = object.attributes.total_votes as Record<string, number>;
  totals[verdict] = (totals[verdict] ?? 0) + 1;
  return { status: 200, body: { data: { type: 'vote', id: vote.id, attributes: { date, verdict, value: 1 } } } };
}

/** Routes one v3 request (`req.path` is below `/api/v3`). */
export function routeV3(ctx: RouteContext, req: Incoming): Reply {
  const [collection = '', rawId, sub, rel, ...rest] = req.path.split('/').slice(1).map(decodeURIComponent);
  if (req.method === 'GET' && collection === 'files' && rawId === 'upload_url' && sub === undefined) return { status: 200, body: { data: ctx.newUploadUrl('v3') } };
  if (req.method === 'POST' && collection === 'files' && rawId === undefined) return uploadReply(ctx, req);
  if (req.method === 'POST' && collection === 'urls' && rawId === undefined) return submitUrl(ctx, req);
  if (req.method === 'GET' && collection === 'analyses' && rawId !== undefined && sub === undefined) return getAnalysis(ctx, rawId);
  const kind = COLLECTIONS[collection];
  if (kind === undefined || rawId === undefined || rest.length > 0) return v3Error(404, 'NotFoundError', `Resource not found: ${req.path}`);
  const id = objectId(kind, rawId);
  if (id === null) return v3Error(400, 'BadRequestError', `Invalid ${kind} id: ${rawId}`);
  const object = ctx.store.get(kind, id);
  if (object === undefined) return notFound(`${kind === 'ip' ? 'IP address' : kind.charAt(0).toUpperCase() + kind.slice(1)} "${rawId}"`);
  if (sub === undefined) return req.method === 'GET' ? { status: 200, body: { data: ctx.store.render(object) } } : v3Error(405, 'MethodNotAllowed', 'Method not allowed');
  return objectSubroute(ctx, req, object, sub, rel);
}
