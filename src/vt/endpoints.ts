/**
 * The `endpoint` label of VirusTotal request metrics: a fixed word per kind of request, never an
 * id, hash or URL, so the number of series stays bounded (and no indicator leaks into /metrics).
 */

/** Every label a v3 request gets. */
export const V3_ENDPOINTS = [
  'files', 'urls', 'domains', 'ip_addresses', 'analyses', 'votes', 'comments', 'upload_url', 'analyse', 'behaviour_summary', 'upload', 'other',
] as const;

/** Every label a v2 request gets. */
export const V2_ENDPOINTS = [
  'v2_file_report', 'v2_file_scan', 'v2_file_scan_upload_url', 'v2_file_rescan', 'v2_url_report', 'v2_url_scan', 'v2_domain_report',
  'v2_ip_address_report', 'upload', 'other',
] as const;

const V3_COLLECTIONS: ReadonlySet<string> = new Set(['files', 'urls', 'domains', 'ip_addresses', 'analyses']);
const V3_ACTIONS: ReadonlySet<string> = new Set(['votes', 'comments', 'upload_url', 'analyse', 'behaviour_summary']);
const V2_KNOWN: ReadonlySet<string> = new Set(V2_ENDPOINTS);

/**
 * The label of a request to `path` (relative to the API base, e.g. `/files/<hash>/votes`, or an
 * absolute upload URL VirusTotal handed out).
 */
export function endpointOf(api: 2 | 3, path: string): string {
  if (/^https?:\/\//.test(path)) return 'upload';
  const segments = path.split('?')[0]?.split('/').filter((s) => s !== '') ?? [];
  if (api === 2) {
    const label = `v2_${segments.join('_').replace(/-/g, '_')}`;
    return V2_KNOWN.has(label) ? label : 'other';
  }
  const [collection, , action] = segments;
  if (collection === undefined || !V3_COLLECTIONS.has(collection)) return 'other';
  // `/files/upload_url` names the action where an id would stand.
  if (segments[1] === 'upload_url' && segments.length === 2) return 'upload_url';
  if (action !== undefined) return V3_ACTIONS.has(action) && segments.length === 3 ? action : 'other';
  return collection;
}
