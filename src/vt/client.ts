/**
 * The VirusTotal API v3 client. One method per endpoint; every request goes through the gate given
 * to the constructor, and each `send` the gate calls is exactly one HTTP request.
 *
 * @see https://docs.virustotal.com/reference/overview
 */
import type { Logger } from '../log.js';
import type {
  AnalysisRef, AnalysisStatus, BehaviourSummary, CallOptions, Comment, FileSource, Page, RelatedObject, Relationship,
  RequestGate, Vote, VtBackend,
} from './backend.js';
import { NotFoundError } from './errors.js';
import { VtTransport, sendGated, trustedUploadUrl } from './http.js';
import type { HttpTimeouts, ReadResponse, VtRequest } from './http.js';
import { collectionOf, urlId, urlSha256, type Asked } from './ids.js';
import { descriptorFrom, reportFromV3 } from './normalise.js';
import { asString, at } from './parse.js';
import type { ObjectKind, VoteVerdict } from '../core/objects.js';
import type { Report } from './report.js';
import type { Metrics } from '../metrics.js';
import { behaviourFrom, commentFrom, pageFrom, voteFrom } from './v3-objects.js';

/** Files above this go through `/files/upload_url` (VirusTotal's limit for `POST /files`). */
export const DIRECT_UPLOAD_LIMIT = 32 * 1024 * 1024;
/** The largest file VirusTotal accepts through an upload URL. */
export const MAX_UPLOAD_SIZE = 650 * 1024 * 1024;

export interface VtClientOptions {
  apiKey: string;
  /** API origin, e.g. `https://www.virustotal.com`; requests go to `${origin}/api/v3`. */
  origin: string;
  gate: RequestGate;
  log?: Logger;
  /** Connect/headers/body silences and the overall deadline (`totalMs`, default 60 s) of each request. */
  timeouts?: Partial<HttpTimeouts>;
  /** Answers over this many bytes are malformed (default 8 MB); reading stops at the cap. */
  maxResponseBytes?: number;
  /** Request counts and durations (see src/metrics.ts); none when absent. */
  metrics?: Metrics;
}

type Request = Omit<VtRequest, 'signal'>;
type PageQuery = { limit?: number; cursor?: string };

export class VtClient implements VtBackend {
  readonly apiVersion = 3 as const;
  readonly #http: VtTransport;
  readonly #gate: RequestGate;
  readonly #origin: string;

  constructor(options: VtClientOptions) {
    const { gate, ...transport } = options;
    this.#gate = gate;
    this.#origin = new URL(options.origin).origin;
    this.#http = new VtTransport({ ...transport, basePath: '/api/v3', keyIn: 'header' });
  }

  /** Sends `req` through the gate and maps the JSON with `read` (which may throw Malformed). */
  #call<T>(req: Request, options: CallOptions, read: ReadResponse<T>): Promise<T> {
    return sendGated(this.#gate, this.#http, req, options, read);
  }

  /** An object's report; `asked` is checked against the answer (null: any object is an answer). */
  #object(path: string, asked: Asked | null, options: CallOptions): Promise<Report> {
    return this.#call({ method: 'GET', path }, options, (body, fail) => {
      const report = reportFromV3(at(body, 'data'), asked);
      return report.ok ? report.value : fail(report.expected);
    });
  }

  /** @see https://docs.virustotal.com/reference/file-info */
  getFile(hash: string, options: CallOptions): Promise<Report> {
    return this.#object(`/files/${encodeURIComponent(hash)}`, { kind: 'file', id: hash }, options);
  }

  /**
   * Uploads a file as a streamed multipart body: `POST /files` up to 32 MB, otherwise a
   * `GET /files/upload_url` then a POST to that URL (two gated requests), up to 650 MB.
   * @see https://docs.virustotal.com/reference/files-scan
   * @see https://docs.virustotal.com/reference/files-upload-url
   */
  async uploadFile(file: FileSource, options: CallOptions): Promise<AnalysisRef> {
    if (file.size > MAX_UPLOAD_SIZE) throw new RangeError(`Expected a file of at most 650 MB, got ${file.size} bytes`);
    const target = file.size > DIRECT_UPLOAD_LIMIT ? await this.getUploadUrl(options) : '/files';
    return this.#call({ method: 'POST', path: target, body: { upload: file } }, options, (body, fail) => {
      const id = asString(at(body, 'data', 'id')) ?? fail('an analysis id');
      return { id, kind: 'file', resource: file.sha256 ?? md5OfFileAnalysis(id) };
    });
  }

  /** A one-time URL for uploading a file over 32 MB. @see https://docs.virustotal.com/reference/files-upload-url */
  getUploadUrl(options: CallOptions): Promise<string> {
    return this.#call({ method: 'GET', path: '/files/upload_url' }, options, (body, fail) => {
      const url = asString(at(body, 'data')) ?? fail('an upload URL');
      return trustedUploadUrl(url, this.#origin) ? url : fail('an https upload URL');
    });
  }

  /** @see https://docs.virustotal.com/reference/files-analyse */
  rescanFile(hash: string, options: CallOptions): Promise<AnalysisRef> {
    return this.#call({ method: 'POST', path: `/files/${encodeURIComponent(hash)}/analyse` }, options, (body, fail) => ({
      id: asString(at(body, 'data', 'id')) ?? fail('an analysis id'), kind: 'file', resource: hash,
    }));
  }

  /** By the URL (sent as its unpadded base64url id). @see https://docs.virustotal.com/reference/url-info */
  getUrl(url: string, options: CallOptions): Promise<Report> {
    return this.#object(`/urls/${urlId(url)}`, { kind: 'url', id: url }, options);
  }

  /** By the other URL identifier, the sha256 of the canonical URL (as in permalinks). */
  getUrlBySha256(sha256: string, options: CallOptions): Promise<Report> {
    return this.#object(`/urls/${encodeURIComponent(sha256)}`, { kind: 'url', id: sha256 }, options);
  }

  /** The domain or IP a URL lives on. @see https://docs.virustotal.com/reference/urls-relationships */
  getUrlNetworkLocation(url: string, options: CallOptions): Promise<Report> {
    return this.#object(`/urls/${urlId(url)}/network_location`, null, options);
  }

  /** @see https://docs.virustotal.com/reference/scan-url */
  submitUrl(url: string, options: CallOptions): Promise<AnalysisRef> {
    return this.#call({ method: 'POST', path: '/urls', body: { form: { url } } }, options, (body, fail) => ({
      id: asString(at(body, 'data', 'id')) ?? fail('an analysis id'), kind: 'url', resource: url,
    }));
  }

  /** @see https://docs.virustotal.com/reference/domain-info */
  getDomain(domain: string, options: CallOptions): Promise<Report> {
    return this.#object(`/domains/${encodeURIComponent(domain)}`, { kind: 'domain', id: domain }, options);
  }

  /** @see https://docs.virustotal.com/reference/ip-info */
  getIp(ip: string, options: CallOptions): Promise<Report> {
    return this.#object(`/ip_addresses/${encodeURIComponent(ip)}`, { kind: 'ip', id: ip }, options);
  }

  /**
   * The analysis' status; once completed, also the analysed object's report (a second gated
   * request), or null when VirusTotal has no object for it.
   * @see https://docs.virustotal.com/reference/analysis
   */
  async getAnalysis(ref: AnalysisRef, options: CallOptions): Promise<AnalysisStatus> {
    const state = await this.#call({ method: 'GET', path: `/analyses/${encodeURIComponent(ref.id)}` }, options, (body, fail): { status: 'queued' | 'in-progress' | 'completed'; objectId: string } => {
      const status = asString(at(body, 'data', 'attributes', 'status'));
      if (status !== 'queued' && status !== 'in-progress' && status !== 'completed') return fail('an analysis status');
      const objectId = ref.kind === 'file'
        ? asString(at(body, 'meta', 'file_info', 'sha256')) ?? ref.resource
        : asString(at(body, 'meta', 'url_info', 'id')) ?? urlSha256(ref.resource);
      return status === 'completed' && objectId === '' ? fail('meta.file_info.sha256') : { status, objectId };
    });
    if (state.status !== 'completed') return { status: state.status };
    const path = ref.kind === 'file' ? `/files/${encodeURIComponent(state.objectId)}` : `/urls/${encodeURIComponent(state.objectId)}`;
    try {
      return { status: 'completed', report: await this.#object(path, { kind: ref.kind, id: state.objectId }, options) };
    } catch (err) {
      if (err instanceof NotFoundError) return { status: 'completed', report: null };
      throw err;
    }
  }

  /** @see https://docs.virustotal.com/reference/files-comments-get */
  getComments(kind: ObjectKind, id: string, page: PageQuery, options: CallOptions): Promise<Page<Comment>> {
    return this.#call({ method: 'GET', path: `${objectPath(kind, id)}/comments`, query: page }, options, (body) => pageFrom(body, commentFrom));
  }

  /** @see https://docs.virustotal.com/reference/files-comments-post */
  postComment(kind: ObjectKind, id: string, text: string, options: CallOptions): Promise<Comment> {
    const body = { json: { data: { type: 'comment', attributes: { text } } } };
    return this.#call({ method: 'POST', path: `${objectPath(kind, id)}/comments`, body }, options, (res, fail) => commentFrom(at(res, 'data')) ?? fail('a comment'));
  }

  /** @see https://docs.virustotal.com/reference/files-votes-get */
  getVotes(kind: ObjectKind, id: string, page: PageQuery, options: CallOptions): Promise<Page<Vote>> {
    return this.#call({ method: 'GET', path: `${objectPath(kind, id)}/votes`, query: page }, options, (body) => pageFrom(body, voteFrom));
  }

  /** @see https://docs.virustotal.com/reference/files-votes-post */
  postVote(kind: ObjectKind, id: string, verdict: VoteVerdict, options: CallOptions): Promise<void> {
    const body = { json: { data: { type: 'vote', attributes: { verdict } } } };
    return this.#call({ method: 'POST', path: `${objectPath(kind, id)}/votes`, body }, options, () => undefined);
  }

  /** @see https://docs.virustotal.com/reference/file-all-behaviours-summary */
  getBehaviourSummary(sha256: string, options: CallOptions): Promise<BehaviourSummary> {
    return this.#call({ method: 'GET', path: `/files/${encodeURIComponent(sha256)}/behaviour_summary` }, options, (body) => behaviourFrom(at(body, 'data')));
  }

  /** Object descriptors only (`/relationships/`), which is cheaper than full objects. @see https://docs.virustotal.com/reference/files-relationships */
  getRelationship(kind: ObjectKind, id: string, relationship: Relationship, page: PageQuery, options: CallOptions): Promise<Page<RelatedObject>> {
    const path = `${objectPath(kind, id)}/relationships/${relationship}`;
    return this.#call({ method: 'GET', path, query: page }, options, (body) => pageFrom(body, descriptorFrom));
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}

/** `/{collection}/{id}`; a URL may be given as the URL itself, which becomes its base64url id. */
function objectPath(kind: ObjectKind, id: string): string {
  const objectId = kind === 'url' && /^[a-z][a-z0-9+.-]*:\/\//i.test(id) ? urlId(id) : encodeURIComponent(id);
  return `/${collectionOf(kind)}/${objectId}`;
}

/** File analysis ids are base64 of `<md5>:<unix time>`; the md5 finds the file once analysed. */
function md5OfFileAnalysis(id: string): string {
  const decoded = Buffer.from(id, 'base64').toString('latin1');
  const md5 = decoded.split(':')[0] ?? '';
  return /^[0-9a-f]{32}$/i.test(md5) ? md5.toLowerCase() : '';
}
