import { describe, expect, it } from 'vitest';
import { clampEmbeds, codeSpan, defang, defangUrl, escapeMarkdown, safeText, truncate, undefangUrl, LIMITS } from '../../../src/discord/render/defang.js';

describe('defang', () => {
  it.each([
    ['https://evil.example/x', 'hxxps://evil[.]example/x'],
    ['http://1.2.3.4:8080/a.php', 'hxxp://1[.]2[.]3[.]4:8080/a.php'],
    ['HTTPS://Evil.Example', 'hxxps://Evil[.]Example'],
  ])('defangUrl(%s) → %s', (url, out) => {
    expect(defangUrl(url)).toBe(out);
  });

  it('defangs schemes, domains and IPs in free text', () => {
    expect(defang('see https://a.b.com and evil.xyz or 10.0.0.1')).toBe('see hxxps://a[.]b[.]com and evil[.]xyz or 10[.]0[.]0[.]1');
  });

  it('undefangUrl undoes defangUrl exactly, so the bot can find a URL again in its own embed', () => {
    for (const url of ['https://evil.example/p?q=1', 'http://1.2.3.4:8080/a.b[.]c', 'ftp://files.example/x']) expect(undefangUrl(defangUrl(url))).toBe(url);
  });
});

describe('escapeMarkdown', () => {
  it('keeps mentions from rendering', () => {
    const out = escapeMarkdown('@everyone <@123> <@&5> <#9>');
    expect(out).not.toContain('@everyone');
    expect(out).not.toMatch(/(?<!\\)<@/);
    expect(out).not.toMatch(/(?<!\\)<#/);
  });

  it('keeps masked links, code and emphasis from forming', () => {
    const out = escapeMarkdown('[free nitro](https://x.y) `code` **b** __u__ ~~s~~ ||sp||');
    expect(out).toContain('\\[free nitro\\]\\(https\\://x.y\\)');
    expect(out).toContain('\\`code\\`');
    expect(out).toContain('\\*\\*b\\*\\*');
    expect(out).toContain('\\|\\|sp\\|\\|');
  });

  it('escapes headings and quotes at line start', () => {
    expect(escapeMarkdown('# big\n> quote\n- item\n1. first')).toBe('\\# big\n\\> quote\n\\- item\n1\\. first');
  });

  it('safeText defangs, escapes and truncates', () => {
    const out = safeText('go to https://evil.example now', 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).not.toContain('https');
  });
});

describe('codeSpan', () => {
  it('replaces backticks so the span cannot be closed early', () => {
    expect(codeSpan('a`b')).toBe('`aˋb`');
  });
});

describe('truncate and limits', () => {
  it('cuts with an ellipsis and never splits a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('keeps a message within 10 embeds, the per-part limits and 6000 characters in total', () => {
    const big = { title: 't'.repeat(300), description: 'd'.repeat(5000), fields: Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(2000) })) };
    const out = clampEmbeds(Array.from({ length: 12 }, () => big));
    expect(out).toHaveLength(10);
    let total = 0;
    for (const e of out) {
      expect(e.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.title);
      expect(e.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.description);
      expect(e.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fields);
      for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    }
    expect(total).toBeLessThanOrEqual(LIMITS.total);
  });
});
