import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ForbiddenError, MalformedResponseError, NotAvailableOnV2Error, NotFoundError, TooManyRequestsError, WrongCredentialsError } from '../../src/vt/errors.js';
import { urlSha256 } from '../../src/vt/ids.js';
import { enginesWithVerdict, verdictOf } from '../../src/vt/report.js';
import type { VtV2Client } from '../../src/vt/v2.js';
import { SEED } from '../support/vt-double.js';
import { CALL, generatedFile, memoryFile, openV2 } from '../support/vt-harness.js';
import type { Harness } from '../support/vt-harness.js';

let h: Harness<VtV2Client> | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

async function harness(options: Parameters<typeof openV2>[0] = {}): Promise<Harness<VtV2Client>> {
  h = await openV2({ gate: { retry: { attempts: 1 } }, ...options });
  return h;
}

const POLL = { priority: 'poll' } as const;

describe('VtV2Client (legacy v2)', () => {
  it('reads a file report (response_code 1) into the same Report, sending the key as a query parameter', async () => {
    const { client, vt } = await harness();
    const report = await client.getFile(SEED.eicar.md5, CALL);
    expect(report).toMatchObject({ kind: 'file', id: SEED.eicar.sha256, permalink: `https://www.virustotal.com/gui/file/${SEED.eicar.sha256}` });
    expect(report.stats.malicious).toBe(59);
    expect(enginesWithVerdict(report.stats)).toBe(69);
    expect(report.engines.find((e) => e.category === 'malicious')?.result).toBe('EICAR-Test-File');
    expect(report.lastAnalysisAt).toMatch(/^20\d\d-\d\d-\d\dT/);
    // The double strips the key from its log: the query shows only the resource.
    expect(vt.requests[0]).toMatchObject({ method: 'GET', path: '/vtapi/v2/file/report', query: { resource: SEED.eicar.md5 }, status: 200 });
  });

  it('answers NotFound for response_code 0', async () => {
    const { client } = await harness();
    const err = await client.getFile('0'.repeat(64), CALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ code: 'NotFoundError', method: 'GET', path: `/vtapi/v2/file/report?resource=${'0'.repeat(64)}` });
    await expect(client.getUrl('https://never.example/', CALL)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.getDomain('never.example', CALL)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.getIp('192.0.2.200', CALL)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads URL, domain and IP reports', async () => {
    const { client } = await harness();
    const url = await client.getUrl(SEED.maliciousUrl, CALL);
    expect(url).toMatchObject({ kind: 'url', id: urlSha256(SEED.maliciousUrl), stats: { malicious: 14, suspicious: 2, harmless: 50, undetected: 12 } });
    expect(verdictOf(url.stats, 3)).toBe('malicious');
    const domain = await client.getDomain(SEED.maliciousDomain, CALL);
    expect(domain.facts).toMatchObject({ kind: 'domain', domain: SEED.maliciousDomain, categories: ['malicious web sites'] });
    const ip = await client.getIp(SEED.maliciousIp, CALL);
    expect(ip.facts).toMatchObject({ kind: 'ip', owner: 'Bad Hosting Ltd', asn: 64_511, country: 'NL' });
  });

  it('rates a domain or IP by the URLs on it that engines flagged (detected_urls), and says so', async () => {
    const { client, vt } = await harness();
    // The seeded malicious URL (14 malicious + 2 suspicious of 78) lives on the malicious domain.
    const domain = await client.getDomain(SEED.maliciousDomain, CALL);
    expect(domain.basis).toEqual({ source: 'flagged-urls', urls: 1, worst: { positives: 16, total: 78 } });
    expect(domain.stats).toMatchObject({ malicious: 16, undetected: 62 });
    expect(verdictOf(domain.stats, 3)).toBe('malicious');
    expect(verdictOf(domain.stats, 20)).toBe('suspicious');
    // Two flagged URLs on an IP: the worst one stands for it.
    vt.addUrl(`http://${SEED.maliciousIp}/a.exe`, { verdict: { malicious: 2, harmless: 60 } });
    vt.addUrl(`http://${SEED.maliciousIp}:8080/b.exe`, { verdict: { malicious: 7, suspicious: 1, undetected: 50 } });
    vt.addUrl(`http://${SEED.maliciousIp}/clean`, { verdict: { harmless: 60 } });
    const ip = await client.getIp(SEED.maliciousIp, CALL);
    expect(ip.basis).toEqual({ source: 'flagged-urls', urls: 2, worst: { positives: 8, total: 58 } });
    expect(verdictOf(ip.stats, 3)).toBe('malicious');
    // Nothing flagged on it: still unknown, never clean.
    const clean = await client.getDomain(SEED.cleanDomain, CALL);
    expect(clean.basis).toEqual({ source: 'flagged-urls', urls: 0, worst: null });
    expect(verdictOf(clean.stats, 3)).toBe('unknown');
  });

  it('calls a detected_urls entry with text counts malformed, not unknown', async () => {
    const { client, vt } = await harness();
    vt.fault({ path: '/vtapi/v2/domain/report' }, { status: 200, body: { response_code: 1, detected_urls: [{ url: 'http://x/', positives: '12', total: 70 }] } });
    await expect(client.getDomain(SEED.maliciousDomain, CALL)).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it('calls a report with a non-boolean detected, or about another file, malformed', async () => {
    const { client, vt } = await harness();
    const sha256 = SEED.eicar.sha256;
    vt.fault({ path: '/vtapi/v2/file/report' },
      { status: 200, body: { response_code: 1, sha256, scans: { A: { detected: 'yes', result: null } } } },
      { status: 200, body: { response_code: 1, sha256: 'e'.repeat(64), positives: 0, scans: { A: { detected: false, result: null } } } });
    const wrongType = await client.getFile(sha256, CALL).catch((e: unknown) => e);
    expect(wrongType).toBeInstanceOf(MalformedResponseError);
    expect((wrongType as Error).message).toContain('scans.A.detected as a boolean');
    const otherFile = await client.getFile(sha256, CALL).catch((e: unknown) => e);
    expect(otherFile).toBeInstanceOf(MalformedResponseError);
    expect((otherFile as Error).message).toContain('the file asked for');
  });

  it('submits a URL (key in the form) and polls by scan_id through -2 until the report is there', async () => {
    const { client, vt } = await harness({ double: { pollsUntilComplete: 2 } });
    const url = 'https://new.example/page';
    const ref = await client.submitUrl(url, CALL);
    expect(vt.requestsTo('/vtapi/v2/url/scan', 'POST')[0]?.body).toEqual({ url });
    expect(ref).toMatchObject({ kind: 'url', resource: url });
    expect(await client.getAnalysis(ref, POLL)).toEqual({ status: 'queued' });
    const done = await client.getAnalysis(ref, POLL);
    expect(done.status === 'completed' ? done.report?.id : 'pending').toBe(urlSha256(url));
    expect(vt.requestsTo('/vtapi/v2/url/report').map((r) => r.query.resource)).toEqual([ref.id, ref.id]);
  });

  it('uploads a file with file/scan (multipart, key as a form field) and polls it', async () => {
    const { client, vt } = await harness({ double: { pollsUntilComplete: 1 } });
    const ref = await client.uploadFile(memoryFile('a.txt', 'v2 upload'), CALL);
    const sha256 = createHash('sha256').update('v2 upload').digest('hex');
    expect(vt.requestsTo('/vtapi/v2/file/scan', 'POST')[0]?.body).toEqual({ fields: {}, file: { name: 'a.txt', size: 9, sha256 } });
    expect(ref.resource).toBe(sha256);
    const done = await client.getAnalysis(ref, POLL);
    expect(done.status === 'completed' ? done.report?.id : 'pending').toBe(sha256);
  });

  it('uploads a file over 32 MB through file/scan/upload_url', async () => {
    const { client, vt } = await harness();
    const size = 33 * 1024 * 1024;
    const ref = await client.uploadFile(generatedFile('big.bin', size), CALL);
    expect(vt.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{24}$/, 'TOKEN')}`)).toEqual(['GET /vtapi/v2/file/scan/upload_url', 'POST /_upload/TOKEN']);
    expect(vt.uploads[0]?.size).toBe(size);
    expect(ref.resource).toBe(vt.uploads[0]?.sha256);
  });

  it('rescans a known file and reports an unknown one as NotFound', async () => {
    const { client, vt } = await harness();
    const ref = await client.rescanFile(SEED.eicar.sha256, CALL);
    expect(ref).toMatchObject({ kind: 'file', resource: SEED.eicar.sha256 });
    expect(vt.requestsTo('/vtapi/v2/file/rescan', 'POST')[0]?.body).toEqual({ resource: SEED.eicar.sha256 });
    await expect(client.rescanFile('f'.repeat(64), CALL)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('maps 204 No Content (over the rate) to TooManyRequestsError, counted as a violation', async () => {
    const { client, vt, sendErrors } = await harness({ double: { perWindow: 1 } });
    await client.getFile(SEED.eicar.sha256, CALL);
    await expect(client.getFile(SEED.eicar.sha256, CALL)).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(sendErrors[0]).toMatchObject({ status: 204, retryable: true });
    expect(vt.violations).toBe(1);
  });

  it('maps 403 to WrongCredentialsError and keeps the key out of the message and path', async () => {
    const key = 'v2-wrong-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const { client } = await harness({ apiKey: key });
    const err = await client.getFile(SEED.eicar.sha256, CALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongCredentialsError);
    expect(err).toMatchObject({ status: 403, path: `/vtapi/v2/file/report?resource=${SEED.eicar.sha256}` });
    expect((err as Error).message).not.toContain(key);
    const form = await client.submitUrl('https://x.example/', CALL).catch((e: unknown) => e);
    expect(form).toBeInstanceOf(WrongCredentialsError);
    expect(JSON.stringify(form) + (form as Error).message).not.toContain(key);
  });

  it('says a private endpoint is not available with a public key (403), but still calls a wrong key refused', async () => {
    const { client, vt } = await harness({ double: { keyTier: 'public' } });
    expect((await client.getFile(SEED.eicar.sha256, CALL)).id).toBe(SEED.eicar.sha256);
    const rescan = await client.rescanFile(SEED.eicar.sha256, CALL).catch((e: unknown) => e);
    expect(rescan).toBeInstanceOf(ForbiddenError);
    expect(rescan).not.toBeInstanceOf(WrongCredentialsError);
    expect(rescan).toMatchObject({ status: 403, method: 'POST', path: '/vtapi/v2/file/rescan' });
    const big = await client.uploadFile(generatedFile('big.bin', 33 * 1024 * 1024), CALL).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(ForbiddenError);
    expect(vt.requestsTo(/\/vtapi\/v2\/file\/(rescan|scan\/upload_url)$/).map((r) => r.status)).toEqual([403, 403]);
    expect(vt.uploads).toHaveLength(0);
    // A premium key may use them.
    vt.setKeyTier('premium');
    expect(await client.rescanFile(SEED.eicar.sha256, CALL)).toMatchObject({ kind: 'file', resource: SEED.eicar.sha256 });
  });

  it('maps a report without response_code to MalformedResponseError', async () => {
    const { client, vt } = await harness();
    vt.fault({ path: '/vtapi/v2/file/report' }, { status: 200, body: { verbose_msg: 'odd' } });
    await expect(client.getFile(SEED.eicar.sha256, CALL)).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it('says comments, votes, behaviour and relationships need v3, without sending anything', async () => {
    const { client, vt } = await harness();
    const calls = [
      () => client.getComments(), () => client.postComment(), () => client.getVotes(),
      () => client.postVote(), () => client.getBehaviourSummary(), () => client.getRelationship(),
    ];
    for (const call of calls) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotAvailableOnV2Error);
      expect((err as Error).message).toMatch(/is not available on VirusTotal API v2; set VT_API_VERSION=3$/);
    }
    expect(vt.requests).toHaveLength(0);
  });
});
