import { describe, expect, it } from 'vitest';
import { checkDomain, checkHash, checkIp, checkUrl } from '../../src/commands/validate.js';

describe('option validation', () => {
  it.each([
    ['hxxps://evil-site[.]xyz/login', 'https://evil-site.xyz/login'],
    ['<https://evil-site.xyz/a>', 'https://evil-site.xyz/a'],
    ['evil-site.xyz/x', 'http://evil-site.xyz/x'],
  ])('accepts the link %s as %s', (raw, href) => {
    expect(checkUrl(raw)).toEqual({ ok: true, indicator: { kind: 'url', value: href } });
  });

  it.each([
    ['', /Give a link/],
    ['ftp://evil-site.xyz/', /Only http and https/],
    ['http://localhost/', /not a public host name/],
    ['http://192.168.1.1/', /private address/],
  ])('refuses the link %j with an example', (raw, message) => {
    const checked = checkUrl(raw);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.error).toMatch(message);
      expect(checked.error).toContain('e.g.');
    }
  });

  it('echoes bad input only inside one code span, so nothing in it renders as a link', () => {
    for (const checked of [checkDomain('x`[free nitro](https://evil.xyz)`y'), checkIp('1.2.3`[a](https://evil.xyz)`')]) {
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error).toMatch(/^`[^`]*` is (not|a private)/);
    }
  });

  it('takes public IPs, domains and hashes in their canonical form', () => {
    expect(checkIp(' 8.8.8.8 ')).toEqual({ ok: true, indicator: { kind: 'ip', value: '8.8.8.8' } });
    expect(checkIp('10.0.0.1').ok).toBe(false);
    expect(checkDomain('https://Evil-Site.XYZ/path')).toEqual({ ok: true, indicator: { kind: 'domain', value: 'evil-site.xyz' } });
    expect(checkHash('`44D88612FEA8A8F36DE82E1278ABB02F`')).toEqual({ ok: true, indicator: { kind: 'hash', value: '44d88612fea8a8f36de82e1278abb02f' } });
    expect(checkHash('abc').ok).toBe(false);
  });
});
