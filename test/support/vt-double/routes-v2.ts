/** The legacy v2 endpoints of the double (`/vtapi/v2/…`), answering from the same store. */
import { createHash } from 'node:crypto';
import { canonicalUrl } from '../../../src/vt/ids.js';
import type { Incoming, Reply, RouteContext } from './context.js';
import { acceptUpload } from './routes-v3.js';
import type { Analysis, Json, StoredObject } from './store.js';

const V2_VERDICT: Readonly<Record<string, string>> = { malicious: 'malicious site', suspicious: 'suspicious site', harmless: 'clean site', undetected: 'unrated site' };

const ok = (body: Json): Reply => ({ status: 200, body });
const notInDataset = (resource: string): Reply => ok({ response_code: 0, resource, verbose_msg: 'The requested resource is not among the finished, queued or pending scans' });
const queued = (resource: string, scanId: string): Reply => ok({ response_code: -2, resource, scan_id: scanId, verbose_msg: 'Your resource is queued for analysis' });

function scanDate(epoch: unknown): string {
  return new Date((typeof epoch === 'number' ? epoch : 0) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The v3 results as v2 `scans`; engines that cannot scan the type are left out, as the GUI does. */
function scans(object: StoredObject): { scans: Json; positives: number; total: number } {
  const results = object.attributes.last_analysis_results as Record<string, { category: string; result: string | null; engine_version: string; engine_update: string }>;
  const out: Json = {};
  let positives = 0;
  for (const [engine, r] of Object.entries(results)) {
    if (r.category === 'type-unsupported') continue;
    const detected = r.category === 'malicious' || r.category === 'suspicious';
    if (detected) positives += 1;
    out[engine] = object.kind === 'url'
      ? { detected, result: V2_VERDICT[r.category] ?? 'unrated site' }
      : { detected, version: r.engine_version, result: detected ? r.result : null, update: r.engine_update };
  }
  return { scans: out, positives, total: Object.keys(out).length };
}

function fileReport(object: StoredObject, resource: string): Reply {
  const a = object.attributes;
  return ok({
    response_code: 1, verbose_msg: 'Scan finished, information embedded', resource, scan_id: `${object.id}-${String(a.last_analysis_date)}`,
    md5: a.md5, sha1: a.sha1, sha256: a.sha256, scan_date: scanDate(a.last_analysis_date),
    permalink: `https://www.virustotal.com/gui/file/${object.id}/detection/f-${object.id}`, ...scans(object),
  });
}

function urlReport(object: StoredObject, resource: string): Reply {
  const a = object.attributes;
  return ok({
    response_code: 1, verbose_msg: 'Scan finished, scan information embedded in this object', resource, url: a.url,
    scan_id: `${object.id}-${String(a.last_analysis_date)}`, scan_date: scanDate(a.last_analysis_date),
    permalink: `https://www.virustotal.com/gui/url/${object.id}/detection/u-${object.id}`, filescan_id: null, ...scans(object),
  });
}

/** A report by hash/URL, or by scan_id (which counts as a poll of that analysis). */
function report(ctx: RouteContext, kind: 'file' | 'url', resource: string): Reply {
  const analysis = ctx.store.analyses.get(resource);
  if (analysis !== undefined) {
    if (ctx.store.poll(analysis, ctx.pollsUntilComplete) !== 'completed') return queued(resource, analysis.scanId);
  }
  const id = analysis?.objectId ?? (kind === 'url' ? urlKey(resource) : resource);
  const object = id === null ? undefined : ctx.store.get(kind, id);
  if (object === undefined) return notInDataset(resource);
  return kind === 'file' ? fileReport(object, resource) : urlReport(object, resource);
}

function urlKey(url: string): string | null {
  try {
    return createHash('sha256').update(canonicalUrl(url)).digest('hex');
  } catch {
    return null;
  }
}

function queuedScan(analysis: Analysis, object: StoredObject, extra: Json): Reply {
  const a = object.attributes;
  return ok({
    response_code: 1, verbose_msg: 'Scan request successfully queued, come back later for the report', scan_id: analysis.scanId,
    permalink: `https://www.virustotal.com/gui/${analysis.kind}/${object.id}/detection`, ...extra,
    ...(analysis.kind === 'file' ? { resource: object.id, sha256: a.sha256, sha1: a.sha1, md5: a.md5 } : {}),
  });
}

export function uploadReplyV2(ctx: RouteContext, req: Incoming): Reply {
  const file = req.multipart?.file;
  if (file === undefined) return { status: 400, body: 'Expected a multipart form with a "file" part' };
  const analysis = acceptUpload(ctx, file);
  const object = ctx.store.find('file', analysis.objectId);
  return object === undefined ? { status: 500, body: '' } : queuedScan(analysis, object, {});
}

/** VirusTotal's v2 endpoints for private (premium) keys only. */
const PRIVATE = new Set(['POST /file/rescan', 'GET /file/scan/upload_url']);

/** Known URLs on `host` that engines flagged, as v2's `detected_urls`. */
function detectedUrls(ctx: RouteContext, host: string): Json[] {
  const flagged: Json[] = [];
  for (const object of ctx.store.objects.values()) {
    if (object.kind !== 'url' || !object.known || URL.parse(String(object.attributes.url))?.hostname !== host) continue;
    const { positives, total } = scans(object);
    if (positives > 0) flagged.push({ url: object.attributes.url, positives, total, scan_date: scanDate(object.attributes.last_analysis_date) });
  }
  return flagged;
}

/** Routes one v2 request (`req.path` is below `/vtapi/v2`). */
export function routeV2(ctx: RouteContext, req: Incoming): Reply {
  const param = (name: string): string => (req.method === 'GET' ? req.query.get(name) : req.form?.[name]) ?? '';
  const endpoint = `${req.method} ${req.path}`;
  if (ctx.keyTier === 'public' && PRIVATE.has(endpoint)) return { status: 403, body: '' };
  switch (endpoint) {
    case 'GET /file/report': return report(ctx, 'file', param('resource'));
    case 'GET /url/report': return report(ctx, 'url', param('resource'));
    case 'POST /file/scan': return uploadReplyV2(ctx, req);
    case 'GET /file/scan/upload_url': return ok({ upload_url: ctx.newUploadUrl('v2') });
    case 'POST /file/rescan': {
      const object = ctx.store.get('file', param('resource'));
      return object === undefined ? notInDataset(param('resource')) : queuedScan(ctx.store.analyse('file', object), object, {});
    }
    case 'POST /url/scan': {
      const url = param('url');
      const id = urlKey(url);
      if (id === null) return ok({ response_code: 0, verbose_msg: 'Invalid URL', resource: url });
      const object = ctx.store.find('url', id) ?? ctx.store.addUrl(url, { known: false, verdict: { harmless: 55, undetected: 20 } });
      const analysis = ctx.store.analyse('url', object);
      return queuedScan(analysis, object, { url: object.attributes.url, resource: url, scan_date: scanDate(analysis.date) });
    }
    case 'GET /domain/report': {
      const object = ctx.store.get('domain', param('domain'));
      if (object === undefined) return ok({ response_code: 0, verbose_msg: 'Domain not found' });
      const categories = Object.values(object.attributes.categories as Record<string, string>);
      return ok({ response_code: 1, verbose_msg: 'Domain found in dataset', categories, whois: `Registrar: ${String(object.attributes.registrar)}`, resolutions: [], detected_urls: detectedUrls(ctx, object.id), undetected_urls: [] });
    }
    case 'GET /ip-address/report': {
      const object = ctx.store.get('ip', param('ip'));
      if (object === undefined) return ok({ response_code: 0, verbose_msg: 'IP address not in dataset' });
      const a = object.attributes;
      return ok({ response_code: 1, verbose_msg: 'IP address in dataset', as_owner: a.as_owner, asn: a.asn, country: a.country, network: a.network, resolutions: [], detected_urls: detectedUrls(ctx, object.id) });
    }
    default: return { status: 404, body: 'Not Found' };
  }
}
