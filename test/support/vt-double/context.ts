/** What a route of the double sees of a request, and what it answers. */
import type { ParsedForm } from './multipart.js';
import type { Json, Store } from './store.js';

export interface Incoming {
  method: string;
  /** Path below the API base (`/files/…`), or the full path for upload URLs. */
  path: string;
  query: URLSearchParams;
  json?: unknown;
  form?: Record<string, string>;
  multipart?: ParsedForm;
}

export interface Reply {
  status: number;
  /** An object is sent as JSON; a string as is (plain text, or deliberately broken JSON). */
  body?: Json | string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  store: Store;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  pollsUntilComplete: number;
  /** A public key may not use v2's private endpoints. */
  keyTier: 'public' | 'premium';
  /** Hands out a single-use upload URL on this server. */
  newUploadUrl(api: 'v3' | 'v2'): string;
  /** Records an upload (the file then becomes a stored object, unknown until analysed). */
  recordUpload(file: NonNullable<ParsedForm['file']>): void;
}

/** VirusTotal's v3 error body. */
export function v3Error(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

export const notFound = (what: string): Reply => v3Error(404, 'NotFoundError', `${what} not found`);
