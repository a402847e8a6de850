import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VtClient } from '../../src/vt/client.js';
import { NotFoundError } from '../../src/vt/errors.js';
import { urlId, urlSha256 } from '../../src/vt/ids.js';
import { enginesWithVerdict, verdictOf } from '../../src/vt/report.js';
import { SEED } from '../support/vt-double.js';
import { CALL, openV3 } from '../support/vt-harness.js';
import type { Harness } from '../support/vt-harness.js';

let h: Harness<VtClient>;
beforeAll(async () => { h = await openV3(); });
afterAll(async () => { await h.close(); });

describe('VtClient look-ups (v3)', () => {
  it('reports the EICAR file as 59/69 malicious by each of its hashes, sending the key header', async () => {
    for (const hash of [SEED.eicar.sha256, SEED.eicar.md5, SEED.eicar.sha1]) {
      const report = await h.client.getFile(hash, CALL);
      expect(report.id).toBe(SEED.eicar.sha256);
      expect(report.stats.malicious).toBe(59);
      expect(enginesWithVerdict(report.stats)).toBe(69);
      expect(verdictOf(report.stats, 3)).toBe('malicious');
      expect(report.engines.filter((e) => e.category === 'type-unsupported')).toHaveLength(4);
      expect(report.engines.find((e) => e.category === 'malicious')?.result).toBe('EICAR-Test-File');
      expect(report.permalink).toBe(`https://www.virustotal.com/gui/file/${SEED.eicar.sha256}`);
      expect(report.facts).toMatchObject({ kind: 'file', md5: SEED.eicar.md5, sha1: SEED.eicar.sha1, size: 68, name: 'eicar.com', threatLabel: 'eicar-test-file' });
    }
    expect(h.vt.requestsTo(/^\/api\/v3\/files\//, 'GET').map((r) => r.path)).toEqual(
      [SEED.eicar.sha256, SEED.eicar.md5, SEED.eicar.sha1].map((x) => `/api/v3/files/${x}`),
    );
  });

  it('reports a clean file as clean', async () => {
    const report = await h.client.getFile(createHash('sha256').update(SEED.cleanFile.content).digest('hex'), CALL);
    expect(verdictOf(report.stats, 3)).toBe('clean');
    expect(report.facts).toMatchObject({ kind: 'file', name: 'notes.txt' });
  });

  it('answers NotFound when VirusTotal has never seen a file', async () => {
    await expect(h.client.getFile('0'.repeat(64), CALL)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('looks a URL up by its unpadded base64url id and by its sha256', async () => {
    const byUrl = await h.client.getUrl(SEED.maliciousUrl, CALL);
    expect(h.vt.requests.at(-1)?.path).toBe(`/api/v3/urls/${urlId(SEED.maliciousUrl)}`);
    expect(urlId(SEED.maliciousUrl)).not.toMatch(/[=+/]/);
    expect(byUrl.id).toBe(urlSha256(SEED.maliciousUrl));
    expect(byUrl.permalink).toBe(`https://www.virustotal.com/gui/url/${urlSha256(SEED.maliciousUrl)}`);
    expect(byUrl.stats).toMatchObject({ malicious: 14, suspicious: 2 });
    expect(byUrl.facts).toMatchObject({ kind: 'url', url: SEED.maliciousUrl, title: 'Invoice', categories: ['malicious web sites', 'malware repository'] });
    const bySha = await h.client.getUrlBySha256(byUrl.id, CALL);
    expect(bySha).toEqual(byUrl);
  });

  it('finds the network location of a URL', async () => {
    const location = await h.client.getUrlNetworkLocation(SEED.maliciousUrl, CALL);
    expect(location).toMatchObject({ kind: 'domain', id: SEED.maliciousDomain });
    expect(h.vt.requests.at(-1)?.path).toBe(`/api/v3/urls/${urlId(SEED.maliciousUrl)}/network_location`);
  });

  it('reports domains and IP addresses with their facts', async () => {
    const domain = await h.client.getDomain(SEED.maliciousDomain, CALL);
    expect(domain).toMatchObject({ kind: 'domain', id: SEED.maliciousDomain, permalink: `https://www.virustotal.com/gui/domain/${SEED.maliciousDomain}` });
    expect(domain.facts).toMatchObject({ kind: 'domain', categories: ['malicious web sites'], created: '2010-01-01T00:00:00.000Z' });
    expect(verdictOf(domain.stats, 3)).toBe('malicious');
    const ip = await h.client.getIp(SEED.maliciousIp, CALL);
    expect(ip).toMatchObject({ kind: 'ip', id: SEED.maliciousIp, permalink: `https://www.virustotal.com/gui/ip-address/${SEED.maliciousIp}` });
    expect(ip.facts).toEqual({ kind: 'ip', ip: SEED.maliciousIp, owner: 'Bad Hosting Ltd', asn: 64_511, country: 'NL', network: `${SEED.maliciousIp}/32` });
    expect(h.vt.requests.at(-1)?.path).toBe(`/api/v3/ip_addresses/${SEED.maliciousIp}`);
    await expect(h.client.getDomain('never-seen.example', CALL)).rejects.toBeInstanceOf(NotFoundError);
  });
});
