/**
 * What a v2 403 means. v2 answers a bare 403 both to a wrong key and to a public key asking for an
 * endpoint VirusTotal keeps for private (premium) keys; the transport reads 403 as a wrong key, and
 * for the private endpoints this module says "not with this key" instead.
 *
 * @see https://docs.virustotal.com/v2.0/reference/file-rescan
 * @see https://docs.virustotal.com/v2.0/reference/file-scan-upload-url
 */
import { ForbiddenError, VtError } from './errors.js';

/** Paths (below `/vtapi/v2`) of the v2 endpoints a public key may not use. */
export const PRIVATE_ENDPOINTS: ReadonlySet<string> = new Set(['/file/rescan', '/file/scan/upload_url']);

/**
 * The error to raise for a failure of a private endpoint: a 403 becomes a {@link ForbiddenError}
 * (the key's tier, not the key, is the problem); anything else is passed on.
 */
export function tierRefusal(error: unknown): Error {
  if (!(error instanceof VtError) || error.status !== 403) return error instanceof Error ? error : new Error(String(error));
  return new ForbiddenError(`VirusTotal answered 403 for ${error.method} ${error.path}: v2 keeps it for private API keys`, {
    status: 403, code: 'ForbiddenError', method: error.method, path: error.path, cause: error,
  });
}
