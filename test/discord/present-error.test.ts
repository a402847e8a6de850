import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/core/errors.js';
import { presentError } from '../../src/discord/present-error.js';
import { QuotaExhaustedError, WrongCredentialsError } from '../../src/vt/errors.js';

function memoryLog(): { log: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk.toString()); done(); } });
  return { log: pino({ level: 'debug' }, sink), lines: () => chunks.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('presentError', () => {
  it('shows a UserFacingError as written', () => {
    const { log } = memoryLog();
    expect(presentError(new UserFacingError('That is not a URL.'), log)).toEqual({ content: 'That is not a URL.', refId: null });
  });

  it('says until when the quota is used up, as a Discord timestamp', () => {
    const { log } = memoryLog();
    const out = presentError(new QuotaExhaustedError('day', new Date('2026-11-27T00:00:00Z')), log);
    expect(out.content).toContain('quota is used up until <t:1795737600:f>');
  });

  it('tells users to contact the admin when the key is refused, without the key or the API message', () => {
    const { log } = memoryLog();
    const err = new WrongCredentialsError('VirusTotal answered 401 WrongCredentialsError: key SECRETKEY123 (GET /api/v3/files/x)', { status: 401, code: 'WrongCredentialsError', method: 'GET', path: '/api/v3/files/x' });
    const out = presentError(err, log);
    expect(out.content).toMatch(/VirusTotal key was refused; tell the server admin/);
    expect(out.content).not.toContain('SECRETKEY123');
  });

  it('hides anything else behind a reference id that is also logged', () => {
    const { log, lines } = memoryLog();
    const out = presentError(new Error('ECONNRESET at /secret/path token=abc'), log, { command: 'vt' });
    expect(out.refId).toMatch(/^[0-9a-f]{8}$/);
    expect(out.content).toContain(out.refId ?? 'missing');
    expect(out.content).not.toContain('ECONNRESET');
    expect(out.content).not.toContain('/secret/path');
    const logged = lines().find((l) => l.refId === out.refId);
    expect(logged).toMatchObject({ level: 50, command: 'vt' });
  });
});
