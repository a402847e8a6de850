import { describe, expect, it } from 'vitest';
import type { AttachmentLike } from '../../src/scan/message-collect.js';
import { MAX_INDICATORS_PER_MESSAGE, keyOf, plan } from '../../src/scan/message-plan.js';

const on = { autoscanLinks: true, autoscanAttachments: true, allowlist: [] as string[] };
const file: AttachmentLike = { id: '1', name: 'a.exe', size: 3, url: 'https://cdn.discordapp.com/attachments/1/1/a.exe' };
const keys = (texts: string[], settings = on, attachments: AttachmentLike[] = [], handled = new Set<string>()): string[] =>
  plan({ texts, attachments }, settings, handled).items.map(keyOf);

describe('plan', () => {
  it('looks a URL up once, not again as its domain', () => {
    expect(keys(['get https://evil-payload.xyz/a.exe now'])).toEqual(['url:https://evil-payload.xyz/a.exe']);
  });

  it('spends nothing on allowlisted names, but does on look-alikes', () => {
    expect(keys(['https://www.youtube.com/watch?v=x youtube.com'])).toEqual([]);
    expect(keys(['youtube.com.evil.xyz'])).toEqual(['domain:youtube.com.evil.xyz']);
    expect(keys(['shady.xyz'], { ...on, allowlist: ['shady.xyz'] })).toEqual([]);
  });

  it('follows the guild switches for links and attachments', () => {
    expect(keys(['https://evil-payload.xyz/'], { ...on, autoscanLinks: false }, [file])).toEqual(['attachment:1']);
    expect(keys(['https://evil-payload.xyz/'], { ...on, autoscanAttachments: false }, [file])).toEqual(['url:https://evil-payload.xyz/']);
  });

  it('skips what was already handled on the message', () => {
    const handled = new Set(['url:https://evil-payload.xyz/']);
    expect(keys(['https://evil-payload.xyz/ and 203.0.113.9'], on, [], handled)).toEqual([]);
    expect(keys(['https://evil-payload.xyz/ and 8.8.4.4'], on, [], handled)).toEqual(['ip:8.8.4.4']);
  });

  it(`keeps at most ${MAX_INDICATORS_PER_MESSAGE} indicators, attachments first`, () => {
    const domains = Array.from({ length: 30 }, (_, i) => `site${i}.xyz`).join(' ');
    const result = plan({ texts: [domains], attachments: [file] }, on, new Set());
    expect(result.items).toHaveLength(MAX_INDICATORS_PER_MESSAGE);
    expect(result.items[0]?.kind).toBe('attachment');
    expect(result.overCap).toBe(31 - MAX_INDICATORS_PER_MESSAGE);
  });
});
