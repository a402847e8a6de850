/**
 * The legacy VirusTotal API v2 client, for keys or proxies that only speak v2. Results are
 * normalised to the same {@link Report}; what v2 lacks (comments, votes, behaviour, relationships)
 * throws {@link NotAvailableOnV2Error}.
 *
 * @see https://docs.virustotal.com/v2.0/reference/getting-started
 */
import type { AnalysisRef, AnalysisStatus, CallOptions, FileSource, RequestGate, VtBackend } from './backend.js';
import { DIRECT_UPLOAD_LIMIT, MAX_UPLOAD_SIZE, type VtClientOptions } from './client.js';
import { MalformedResponseError, NotAvailableOnV2Error, NotFoundError } from './errors.js';
import { VtTransport, sendGated, trustedUploadUrl } from './http.js';
import type { ReadResponse, VtRequest } from './http.js';
import { asNumber, asString, at, type Parsed } from './parse.js';
import type { ObjectKind } from '../core/objects.js';
import type { Report } from './report.js';
import { reportFromV2 } from './v2-report.js';
import { PRIVATE_ENDPOINTS, tierRefusal } from './v2-tier.js';

/** The same options as the v3 client; requests go to `${origin}/vtapi/v2`. */
export type VtV2ClientOptions = VtClientOptions;

type Request = Omit<VtRequest, 'signal'>;

/** What a v2 report endpoint said: found (1), not found (0), or still queued (-2). */
type Lookup = { path: string } & ({ found: true; body: unknown } | { found: false; queued: boolean });

export class VtV2Client implements VtBackend {
  readonly apiVersion = 2 as const;
  readonly #http: VtTransport;
  readonly #gate: RequestGate;
  readonly #origin: string;

  constructor(options: VtV2ClientOptions) {
    const { gate, ...transport } = options;
    this.#gate = gate;
    this.#origin = new URL(options.origin).origin;
    // v2 puts the key in a parameter and signals its rate limit with 204.
    this.#http = new VtTransport({ ...transport, basePath: '/vtapi/v2', keyIn: 'param', legacyStatuses: true });
  }

  #call<T>(req: Request, options: CallOptions, read: ReadResponse<T>): Promise<T> {
    const sent = sendGated(this.#gate, this.#http, req, options, read);
    return PRIVATE_ENDPOINTS.has(req.path) ? sent.catch((error: unknown) => { throw tierRefusal(error); }) : sent;
  }

  /** A report body read strictly; what it lacks becomes a MalformedResponseError. */
  #read(report: Parsed<Report>, path: string): Report {
    if (report.ok) return report.value;
    throw new MalformedResponseError(`VirusTotal answered GET ${path} without ${report.expected}`, { status: 200, code: 'MalformedResponse', method: 'GET', path });
  }

  /** A report endpoint, read by `response_code`. */
  #lookup(path: string, query: Record<string, string>, options: CallOptions): Promise<Lookup> {
    return this.#call({ method: 'GET', path, query }, options, (body, fail, sentPath): Lookup => {
      const code = asNumber(at(body, 'response_code')) ?? fail('a response_code');
      if (code === 1) return { path: sentPath, found: true, body };
      return { path: sentPath, found: false, queued: code === -2 };
    });
  }

  async #report(kind: ObjectKind, path: string, query: Record<string, string>, subject: string, options: CallOptions): Promise<Report> {
    const lookup = await this.#lookup(path, query, options);
    if (!lookup.found) {
      const why = lookup.queued ? 'is queued for analysis and has no report yet' : 'has no report';
      throw new NotFoundError(`VirusTotal ${why}: ${kind} ${subject}`, {
        status: 200, code: lookup.queued ? 'Queued' : 'NotFoundError', method: 'GET', path: lookup.path,
      });
    }
    return this.#read(reportFromV2(kind, lookup.body, subject), lookup.path);
  }

  /** @see https://docs.virustotal.com/v2.0/reference/file-report */
  getFile(hash: string, options: CallOptions): Promise<Report> {
    return this.#report('file', '/file/report', { resource: hash }, hash, options);
  }

  /** `file/scan` up to 32 MB; above, `file/scan/upload_url` then a POST there. @see https://docs.virustotal.com/v2.0/reference/file-scan */
  async uploadFile(file: FileSource, options: CallOptions): Promise<AnalysisRef> {
    if (file.size > MAX_UPLOAD_SIZE) throw new RangeError(`Expected a file of at most 650 MB, got ${file.size} bytes`);
    const path = file.size > DIRECT_UPLOAD_LIMIT
      ? await this.#call({ method: 'GET', path: '/file/scan/upload_url' }, options, (body, fail) => {
        const url = asString(at(body, 'upload_url')) ?? fail('an upload_url');
        return trustedUploadUrl(url, this.#origin) ? url : fail('an https upload_url');
      })
      : '/file/scan';
    return this.#call({ method: 'POST', path, body: { upload: file } }, options, (body, fail) => ({
      id: asString(at(body, 'scan_id')) ?? fail('a scan_id'),
      kind: 'file',
      resource: asString(at(body, 'sha256')) ?? file.sha256 ?? fail('a sha256'),
    }));
  }

  /** @see https://docs.virustotal.com/v2.0/reference/file-rescan */
  rescanFile(hash: string, options: CallOptions): Promise<AnalysisRef> {
    return this.#call({ method: 'POST', path: '/file/rescan', body: { form: { resource: hash } } }, options, (body, fail, path) => {
      if (asNumber(at(body, 'response_code')) === 0) throw new NotFoundError(`VirusTotal has no file ${hash} to rescan`, { status: 200, code: 'NotFoundError', method: 'POST', path });
      return { id: asString(at(body, 'scan_id')) ?? fail('a scan_id'), kind: 'file', resource: asString(at(body, 'sha256')) ?? hash };
    });
  }

  /** @see https://docs.virustotal.com/v2.0/reference/url-report */
  getUrl(url: string, options: CallOptions): Promise<Report> {
    return this.#report('url', '/url/report', { resource: url }, url, options);
  }

  /** @see https://docs.virustotal.com/v2.0/reference/url-scan */
  submitUrl(url: string, options: CallOptions): Promise<AnalysisRef> {
    return this.#call({ method: 'POST', path: '/url/scan', body: { form: { url } } }, options, (body, fail) => ({
      id: asString(at(body, 'scan_id')) ?? fail('a scan_id'), kind: 'url', resource: url,
    }));
  }

  /** @see https://docs.virustotal.com/v2.0/reference/domain-report */
  getDomain(domain: string, options: CallOptions): Promise<Report> {
    return this.#report('domain', '/domain/report', { domain }, domain, options);
  }

  /** @see https://docs.virustotal.com/v2.0/reference/ip-address-report */
  getIp(ip: string, options: CallOptions): Promise<Report> {
    return this.#report('ip', '/ip-address/report', { ip }, ip, options);
  }

  /** v2 has no analyses: polls the report by scan id until `response_code` is 1. */
  async getAnalysis(ref: AnalysisRef, options: CallOptions): Promise<AnalysisStatus> {
    const path = ref.kind === 'file' ? '/file/report' : '/url/report';
    const lookup = await this.#lookup(path, { resource: ref.id }, options);
    if (lookup.found) return { status: 'completed', report: this.#read(reportFromV2(ref.kind, lookup.body, ref.resource), lookup.path) };
    return lookup.queued ? { status: 'queued' } : { status: 'completed', report: null };
  }

  getComments(): Promise<never> { return unavailable('Comments'); }
  postComment(): Promise<never> { return unavailable('Posting comments'); }
  getVotes(): Promise<never> { return unavailable('Votes'); }
  postVote(): Promise<never> { return unavailable('Voting'); }
  getBehaviourSummary(): Promise<never> { return unavailable('The behaviour summary'); }
  getRelationship(): Promise<never> { return unavailable('Relationships (contacted URLs, domains, IPs)'); }

  close(): Promise<void> {
    return this.#http.close();
  }
}

/** Rejects at once: nothing is sent and no quota is spent. */
function unavailable(feature: string): Promise<never> {
  return Promise.reject(new NotAvailableOnV2Error(`${feature} is not available on VirusTotal API v2; set VT_API_VERSION=3`, {
    status: 0, code: 'NotAvailableOnV2', method: 'NONE', path: '',
  }));
}
