/**
 * The objects the VirusTotal double knows: files, URLs, domains, IPs, their votes and comments,
 * and the analyses submissions create. Renders them as v3 JSON; v2 rendering is in v2-render.ts.
 */
import { createHash } from 'node:crypto';
import { canonicalUrl } from '../../../src/vt/ids.js';
import { engineAnswers } from './engines.js';
import type { VerdictSpec } from './engines.js';

export type Kind = 'file' | 'url' | 'domain' | 'ip';
export type RelationshipName = 'contacted_urls' | 'contacted_domains' | 'contacted_ips';
export type Json = Record<string, unknown>;

export interface StoredVote { id: string; verdict: string; date: number }
export interface StoredComment { id: string; text: string; date: number }

export interface StoredObject {
  kind: Kind;
  /** sha256 (files), sha256 of the canonical URL (urls), name (domains), address (IPs). */
  id: string;
  /** False until an analysis of it completes: answers 404 meanwhile. */
  known: boolean;
  verdict: VerdictSpec;
  attributes: Json;
  relationships: Partial<Record<RelationshipName, string[]>>;
  behaviour?: Json;
  votes: StoredVote[];
  comments: StoredComment[];
}

export interface Analysis {
  /** v3 analysis id. */
  id: string;
  /** v2 scan_id. */
  scanId: string;
  kind: 'file' | 'url';
  objectId: string;
  date: number;
  /** GETs of this analysis so far. */
  polls: number;
}

/** What tests may say about a seeded object; anything left out gets a plausible default. */
export interface ObjectSpec {
  verdict?: VerdictSpec;
  /** False: exists only once an analysis of it completes (lets a test choose what a submission finds). */
  known?: boolean;
  /** Extra v3 attributes merged over the defaults. */
  attributes?: Json;
  relationships?: Partial<Record<RelationshipName, string[]>>;
  /** `data` of `/files/{id}/behaviour_summary` (files only). */
  behaviour?: Json;
}

export interface FileSpec extends ObjectSpec {
  content?: string | Buffer;
  sha256?: string;
  md5?: string;
  sha1?: string;
  name?: string;
  size?: number;
  type?: string;
}

const hash = (algorithm: string, data: string | Buffer): string => createHash(algorithm).update(data).digest('hex');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The v3 `links.self` base, as VirusTotal writes it. */
export const API_LINK = 'https://www.virustotal.com/api/v3';

export class Store {
  readonly objects = new Map<string, StoredObject>();
  readonly #hashIndex = new Map<string, string>();
  readonly analyses = new Map<string, Analysis>();
  #serial = 0;

  #key(kind: Kind, id: string): string {
    return `${kind}:${id}`;
  }

  #put(kind: Kind, id: string, spec: ObjectSpec, attributes: Json): StoredObject {
    const answers = engineAnswers(spec.verdict ?? {}, kind);
    const object: StoredObject = {
      kind, id, known: spec.known ?? true, verdict: spec.verdict ?? {}, relationships: spec.relationships ?? {},
      votes: [], comments: [],
      attributes: {
        last_analysis_date: nowSeconds() - 3600, last_analysis_stats: answers.stats, last_analysis_results: answers.results,
        reputation: (spec.verdict?.malicious ?? 0) > 0 ? -25 : 0, total_votes: { harmless: 0, malicious: 0 }, tags: [],
        ...attributes, ...spec.attributes,
      },
      ...(spec.behaviour === undefined ? {} : { behaviour: spec.behaviour }),
    };
    this.objects.set(this.#key(kind, id), object);
    return object;
  }

  addFile(spec: FileSpec): StoredObject {
    const content = spec.content;
    const sha256 = (spec.sha256 ?? (content === undefined ? undefined : hash('sha256', content)))?.toLowerCase();
    if (sha256 === undefined) throw new TypeError('Expected content or sha256 for a file, got neither');
    const md5 = spec.md5 ?? (content === undefined ? hash('md5', sha256) : hash('md5', content));
    const sha1 = spec.sha1 ?? (content === undefined ? hash('sha1', sha256) : hash('sha1', content));
    const size = spec.size ?? (content === undefined ? 0 : Buffer.byteLength(content));
    this.#hashIndex.set(md5, sha256);
    this.#hashIndex.set(sha1, sha256);
    const name = spec.name ?? `${sha256.slice(0, 8)}.bin`;
    return this.#put('file', sha256, spec, {
      sha256, md5, sha1, size, names: [name], meaningful_name: name, type_description: spec.type ?? 'unknown',
      first_submission_date: nowSeconds() - 86_400 * 30,
      ...((spec.verdict?.malicious ?? 0) > 0 && spec.verdict?.label !== undefined
        ? { popular_threat_classification: { suggested_threat_label: spec.verdict.label.toLowerCase() } }
        : {}),
    });
  }

  addUrl(url: string, spec: ObjectSpec & { title?: string; categories?: Record<string, string> } = {}): StoredObject {
    const canonical = canonicalUrl(url);
    const id = hash('sha256', canonical);
    return this.#put('url', id, spec, {
      url: canonical, last_final_url: canonical, title: spec.title ?? '', categories: spec.categories ?? {},
      last_http_response_code: 200, first_submission_date: nowSeconds() - 86_400,
    });
  }

  addDomain(name: string, spec: ObjectSpec & { categories?: Record<string, string>; registrar?: string } = {}): StoredObject {
    const domain = name.toLowerCase();
    return this.#put('domain', domain, spec, {
      categories: spec.categories ?? {}, registrar: spec.registrar ?? 'Example Registrar, Inc.', creation_date: 1_262_304_000, tld: domain.split('.').pop() ?? '',
    });
  }

  addIp(ip: string, spec: ObjectSpec & { owner?: string; asn?: number; country?: string; network?: string } = {}): StoredObject {
    return this.#put('ip', ip, spec, {
      as_owner: spec.owner ?? 'Example Networks', asn: spec.asn ?? 64_500, country: spec.country ?? 'US', network: spec.network ?? `${ip}/32`,
    });
  }

  /** The stored id of a URL: sha256 of its canonical form. */
  addressOf(url: string): string {
    return hash('sha256', canonicalUrl(url));
  }

  /** Any stored object, known or not. `id` may be a file's md5/sha1 or a URL's sha256. */
  find(kind: Kind, id: string): StoredObject | undefined {
    const key = kind === 'file' ? this.#hashIndex.get(id.toLowerCase()) ?? id.toLowerCase() : kind === 'domain' ? id.toLowerCase() : id;
    return this.objects.get(this.#key(kind, key));
  }

  /** Only objects VirusTotal would answer for. */
  get(kind: Kind, id: string): StoredObject | undefined {
    const object = this.find(kind, id);
    return object?.known === true ? object : undefined;
  }

  /** Starts an analysis of a (possibly new) object; returns it with both its v3 and v2 ids. */
  analyse(kind: 'file' | 'url', object: StoredObject): Analysis {
    this.#serial += 1;
    const date = nowSeconds() + this.#serial;
    const md5 = typeof object.attributes.md5 === 'string' ? object.attributes.md5 : object.id;
    const id = kind === 'file' ? Buffer.from(`${md5}:${date}`).toString('base64') : `u-${object.id}-${date}`;
    const analysis: Analysis = { id, scanId: `${object.id}-${date}`, kind, objectId: object.id, date, polls: 0 };
    this.analyses.set(id, analysis);
    this.analyses.set(analysis.scanId, analysis);
    return analysis;
  }

  /** Counts a poll; completes the analysis (the object becomes known) after `pollsUntilComplete`. */
  poll(analysis: Analysis, pollsUntilComplete: number): 'queued' | 'in-progress' | 'completed' {
    analysis.polls += 1;
    if (analysis.polls < pollsUntilComplete) return analysis.polls === 1 ? 'queued' : 'in-progress';
    const object = this.find(analysis.kind, analysis.objectId);
    if (object !== undefined && !object.known) {
      object.known = true;
      object.attributes.last_analysis_date = analysis.date;
    }
    return 'completed';
  }

  /** The v3 `data` object. */
  render(object: StoredObject): Json {
    const collection = { file: 'files', url: 'urls', domain: 'domains', ip: 'ip_addresses' }[object.kind];
    const type = object.kind === 'ip' ? 'ip_address' : object.kind;
    return { id: object.id, type, links: { self: `${API_LINK}/${collection}/${object.id}` }, attributes: object.attributes };
  }
}

/** The EICAR test file's content (the standard 68-byte string). */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
