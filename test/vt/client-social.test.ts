import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VtClient } from '../../src/vt/client.js';
import { NotFoundError } from '../../src/vt/errors.js';
import { urlId, urlSha256 } from '../../src/vt/ids.js';
import { SEED } from '../support/vt-double.js';
import { CALL, openV3 } from '../support/vt-harness.js';
import type { Harness } from '../support/vt-harness.js';

let h: Harness<VtClient>;
beforeAll(async () => { h = await openV3(); });
afterAll(async () => { await h.close(); });

describe('VtClient comments and votes (v3)', () => {
  it('posts a vote in the documented JSON shape and it shows in the report tally', async () => {
    await h.client.postVote('file', SEED.eicar.sha256, 'malicious', CALL);
    const [post] = h.vt.requestsTo(`/api/v3/files/${SEED.eicar.sha256}/votes`, 'POST');
    expect(post?.body).toEqual({ data: { type: 'vote', attributes: { verdict: 'malicious' } } });
    expect(h.vt.votesOn('file', SEED.eicar.sha256).map((v) => v.verdict)).toEqual(['malicious']);
    expect((await h.client.getFile(SEED.eicar.sha256, CALL)).votes).toEqual({ malicious: 1, harmless: 0 });
    const votes = await h.client.getVotes('file', SEED.eicar.sha256, {}, CALL);
    expect(votes.items).toEqual([{ id: expect.any(String) as string, verdict: 'malicious', date: expect.stringMatching(/^20\d\d-/) as string }]);
  });

  it('votes on a URL given as the URL itself (sent as its base64url id)', async () => {
    await h.client.postVote('url', SEED.cleanUrl, 'harmless', CALL);
    expect(h.vt.requests.at(-1)?.path).toBe(`/api/v3/urls/${urlId(SEED.cleanUrl)}/votes`);
    expect(h.vt.votesOn('url', urlSha256(SEED.cleanUrl)).map((v) => v.verdict)).toEqual(['harmless']);
  });

  it('posts comments and lists them page by page with a cursor', async () => {
    for (const text of ['first', 'second', 'third']) {
      const comment = await h.client.postComment('domain', SEED.maliciousDomain, text, CALL);
      expect(comment.text).toBe(text);
    }
    expect(h.vt.requestsTo(`/api/v3/domains/${SEED.maliciousDomain}/comments`, 'POST')[0]?.body).toEqual({ data: { type: 'comment', attributes: { text: 'first' } } });
    const first = await h.client.getComments('domain', SEED.maliciousDomain, { limit: 2 }, CALL);
    expect(first.items.map((c) => c.text)).toEqual(['third', 'second']);
    expect(first.cursor).toBeDefined();
    expect(h.vt.requests.at(-1)?.query).toEqual({ limit: '2' });
    const second = await h.client.getComments('domain', SEED.maliciousDomain, { limit: 2, ...(first.cursor === undefined ? {} : { cursor: first.cursor }) }, CALL);
    expect(second.items.map((c) => c.text)).toEqual(['first']);
    expect(second.cursor).toBeUndefined();
    expect(h.vt.commentsOn('domain', SEED.maliciousDomain).map((c) => c.text)).toEqual(['third', 'second', 'first']);
  });

  it('comments on IP addresses under /ip_addresses', async () => {
    await h.client.postComment('ip', SEED.maliciousIp, 'scanner', CALL);
    expect(h.vt.requests.at(-1)?.path).toBe(`/api/v3/ip_addresses/${SEED.maliciousIp}/comments`);
  });
});

describe('VtClient behaviour and relationships (v3)', () => {
  it('condenses the behaviour summary', async () => {
    const summary = await h.client.getBehaviourSummary(SEED.eicar.sha256, CALL);
    expect(h.vt.requests.at(-1)?.path).toBe(`/api/v3/files/${SEED.eicar.sha256}/behaviour_summary`);
    expect(summary).toEqual({
      tags: ['DETECT_DEBUG_ENVIRONMENT'],
      processesCreated: ['C:\\eicar.com'],
      filesWritten: ['C:\\Users\\user\\AppData\\Local\\Temp\\eicar.tmp'],
      dnsLookups: [SEED.maliciousDomain],
      ipTraffic: [`${SEED.maliciousIp}:443`],
      mitreTechniques: ['T1497 Detects debugging environment'],
      verdicts: ['MALWARE'],
    });
  });

  it('answers NotFound for a file without sandbox behaviour', async () => {
    const clean = h.vt.addFile({ content: 'no behaviour here' });
    await expect(h.client.getBehaviourSummary(clean.id, CALL)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists contacted URLs, domains and IPs as descriptors', async () => {
    const urls = await h.client.getRelationship('file', SEED.eicar.sha256, 'contacted_urls', { limit: 10 }, CALL);
    expect(h.vt.requests.at(-1)?.path).toBe(`/api/v3/files/${SEED.eicar.sha256}/relationships/contacted_urls`);
    expect(urls).toEqual({ items: [{ kind: 'url', id: urlSha256(SEED.maliciousUrl) }] });
    const domains = await h.client.getRelationship('file', SEED.eicar.sha256, 'contacted_domains', {}, CALL);
    expect(domains.items).toEqual([{ kind: 'domain', id: SEED.maliciousDomain }]);
    const ips = await h.client.getRelationship('file', SEED.eicar.sha256, 'contacted_ips', {}, CALL);
    expect(ips.items).toEqual([{ kind: 'ip', id: SEED.maliciousIp }]);
  });
});
