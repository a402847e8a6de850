import { afterEach, describe, expect, it } from 'vitest';
import type { VtClient } from '../../src/vt/client.js';
import {
  AlreadyExistsError, BadRequestError, ForbiddenError, MalformedResponseError, NetworkError, NotFoundError, QuotaExceededError,
  QuotaExhaustedError, TimeoutError, TooManyRequestsError, TransientError, UserNotActiveError, VtError, WrongCredentialsError,
} from '../../src/vt/errors.js';
import { SEED } from '../support/vt-double.js';
import { CALL, generatedFile, openV3 } from '../support/vt-harness.js';
import type { Harness } from '../support/vt-harness.js';

const FILE_PATH = `/api/v3/files/${SEED.eicar.sha256}`;
let h: Harness<VtClient> | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

/** One attempt per call, so each test sees exactly what a single `send` threw. */
async function harness(options: Parameters<typeof openV3>[0] = {}): Promise<Harness<VtClient>> {
  h = await openV3({ gate: { retry: { attempts: 1 } }, ...options });
  return h;
}

const error = (code: string, message: string): Record<string, unknown> => ({ error: { code, message } });

describe('VtClient error mapping (v3)', () => {
  it.each([
    [400, error('BadRequestError', 'bad id'), BadRequestError, 'BadRequestError', false],
    [401, error('UserNotActiveError', 'inactive'), UserNotActiveError, 'UserNotActiveError', false],
    [401, error('AuthenticationRequiredError', 'no key'), UserNotActiveError, 'AuthenticationRequiredError', false],
    [403, error('ForbiddenError', 'premium only'), ForbiddenError, 'ForbiddenError', false],
    [404, 'Not Found', NotFoundError, 'NotFoundError', false],
    [409, error('AlreadyExistsError', 'already voted'), AlreadyExistsError, 'AlreadyExistsError', false],
    [429, error('TooManyRequestsError', 'slow down'), TooManyRequestsError, 'TooManyRequestsError', true],
    [503, error('TransientError', 'busy'), TransientError, 'TransientError', true],
    [500, '<html>Internal Server Error</html>', TransientError, 'TransientError', true],
    [502, '', TransientError, 'TransientError', true],
  ] as const)('maps %i %j to its class', async (status, body, ErrorClass, code, retryable) => {
    const { client, vt, sendErrors } = await harness();
    vt.fault({ path: FILE_PATH }, { status, body });
    const err = await client.getFile(SEED.eicar.sha256, CALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorClass);
    expect(err).toMatchObject({ status, code, method: 'GET', path: FILE_PATH, retryable });
    expect(sendErrors).toEqual([err]);
    expect(vt.requestsTo(FILE_PATH)).toHaveLength(1);
  });

  it('maps a plain-text 404 body (as VirusTotal sends for some paths) to NotFoundError', async () => {
    const { client, vt } = await harness();
    vt.fault({ path: FILE_PATH }, { status: 404, body: 'Not Found', headers: { 'content-type': 'text/plain' } });
    await expect(client.getFile(SEED.eicar.sha256, CALL)).rejects.toThrow(/404 NotFoundError: Not Found/);
  });

  it('reports a wrong key as WrongCredentialsError without ever showing the key', async () => {
    const key = 'not-the-key-5f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const { client, vt } = await harness({ apiKey: key });
    const err = await client.getFile(SEED.eicar.sha256, CALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongCredentialsError);
    expect(err).toMatchObject({ status: 401, code: 'WrongCredentialsError' });
    expect(JSON.stringify({ ...(err as VtError), message: (err as VtError).message })).not.toContain(key);
    expect(vt.requests[0]?.status).toBe(401);
  });

  it('scrubs the key even when VirusTotal echoes it', async () => {
    const { client, vt } = await harness();
    vt.fault({ path: FILE_PATH }, { status: 400, body: error('BadRequestError', `bad key ${vt.apiKey}`) });
    const err = (await client.getFile(SEED.eicar.sha256, CALL).then(() => undefined, (e: unknown) => e)) as Error;
    expect(err.message).toContain('[key]');
    expect(err.message).not.toContain(vt.apiKey);
  });

  it('carries Retry-After on a 429 so the gate waits that long', async () => {
    const { client, vt, sendErrors } = await harness();
    vt.fault({ path: FILE_PATH }, { status: 429, body: error('TooManyRequestsError', 'slow'), headers: { 'retry-after': '1' } });
    await expect(client.getFile(SEED.eicar.sha256, CALL)).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(sendErrors[0]).toMatchObject({ retryable: true, retryAfterMs: 1000 });
  });

  it('answers 429 TooManyRequests when over the per-window rate, which the double counts as a violation', async () => {
    const { client, vt, sendErrors } = await harness({ double: { perWindow: 1, retryAfter: true, windowMs: 1000 } });
    await client.getFile(SEED.eicar.sha256, CALL);
    await expect(client.getFile(SEED.eicar.sha256, CALL)).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(vt.violations).toBe(1);
    expect(sendErrors[0]).toMatchObject({ status: 429, retryAfterMs: 1000 });
  });

  it('maps a spent day budget to QuotaExceededError, which the gate turns into QuotaExhausted', async () => {
    const { client, vt, sendErrors } = await harness({ double: { perDay: 0 } });
    await expect(client.getFile(SEED.eicar.sha256, CALL)).rejects.toBeInstanceOf(QuotaExhaustedError);
    expect(sendErrors[0]).toBeInstanceOf(QuotaExceededError);
    expect(sendErrors[0]).toMatchObject({ status: 429, code: 'QuotaExceededError', retryable: true });
    expect(vt.violations).toBe(1);
  });

  it('maps a 200 with broken JSON to MalformedResponseError (not retryable)', async () => {
    const { client, vt } = await harness();
    vt.fault({ path: FILE_PATH }, { status: 200, body: '{"data": {"id": ', headers: { 'content-type': 'application/json' } });
    const err = await client.getFile(SEED.eicar.sha256, CALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(err).toMatchObject({ status: 200, retryable: false });
  });

  it('maps JSON without a VirusTotal object to MalformedResponseError', async () => {
    const { client, vt } = await harness();
    vt.fault({ path: FILE_PATH }, { status: 200, body: { data: { attributes: {} } } });
    const err = await client.getFile(SEED.eicar.sha256, CALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(err).toMatchObject({ status: 200, method: 'GET', path: FILE_PATH });
  });

  it('maps a slow answer to TimeoutError', async () => {
    const { client, vt } = await harness({ timeouts: { headersMs: 150 } });
    // Far past the timeout: undici checks it on a coarse timer, and a busy machine stretches that.
    vt.fault({ path: FILE_PATH }, { delayMs: 3000 });
    const err = await client.getFile(SEED.eicar.sha256, CALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ status: 0, retryable: true, path: FILE_PATH });
  });

  it('maps a dropped connection and a body cut short to NetworkError', async () => {
    const { client, vt } = await harness();
    vt.fault({ path: FILE_PATH }, { drop: true }, { truncate: true });
    for (let i = 0; i < 2; i += 1) {
      const err = await client.getFile(SEED.eicar.sha256, CALL).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NetworkError);
      expect(err).toMatchObject({ status: 0, retryable: true });
    }
  });

  it('stops at once when the caller aborts, with the abort reason rather than a VtError', async () => {
    const { client, vt } = await harness();
    vt.fault({ path: FILE_PATH }, { delayMs: 3000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const err = await client.getFile(SEED.eicar.sha256, { priority: 'command', signal: controller.signal }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(VtError);
    expect((err as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('refuses an upload URL that would take the key to a plain-http foreign host', async () => {
    const { client, vt } = await harness();
    vt.fault({ path: '/api/v3/files/upload_url' }, { status: 200, body: { data: 'http://203.0.113.9/upload' } });
    await expect(client.uploadFile(generatedFile('big.bin', 40 * 1024 * 1024), CALL)).rejects.toBeInstanceOf(MalformedResponseError);
    expect(vt.requests.map((r) => r.path)).toEqual(['/api/v3/files/upload_url']);
  });

  it('does not call a missing upload file a network fault (retrying cannot help)', async () => {
    const { client, vt } = await harness();
    const missing = { name: 'gone.bin', size: 10, path: '/nonexistent/vt-guard/gone.bin' };
    const err = await client.uploadFile(missing, CALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VtError);
    expect(err).toMatchObject({ code: 'ENOENT', retryable: false });
    expect(vt.uploads).toHaveLength(0);
  });

  it('lets the real gate retry a transient failure: 503 twice, then one result from three requests', async () => {
    h = await openV3();
    h.vt.fault({ path: FILE_PATH }, { status: 503, body: error('TransientError', 'busy') }, { status: 503 });
    const report = await h.client.getFile(SEED.eicar.sha256, CALL);
    expect(report.stats.malicious).toBe(59);
    expect(h.vt.requestsTo(FILE_PATH).map((r) => r.status)).toEqual([503, 503, 200]);
  });
});
