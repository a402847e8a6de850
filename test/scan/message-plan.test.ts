import { describe, expect, it } from 'vitest';
import {
  collect, hasScannableParts, MAX_INDICATORS_PER_MESSAGE, plan, plannedKey, type AttachmentLike, type ScannableMessage,
} from '../../src/scan/message-plan.js';

const on = { autoscanLinks: true, autoscanAttachments: true, allowlist: [] as string[] };
const aFile: AttachmentLike = { id: '1', name: 'a.exe', size: 3, url: 'https://cdn.discordapp.com/attachments/1/1/a.exe' };
const keys = (texts: string[], settings = on, attachments: AttachmentLike[] = [], handled = new Set<string>()): string[] =>
  plan({ texts, attachments }, settings, handled).items.map(plannedKey);

const file = (id: string): AttachmentLike => ({ id, name: `${id}.bin`, size: 10, url: `https://cdn.discordapp.com/attachments/1/${id}/${id}.bin` });
const message = (parts: Partial<ScannableMessage>): ScannableMessage => ({
  content: '',
  attachments: new Map<string, AttachmentLike>(),
  embeds: [],
  ...parts,
});

describe('collect', () => {
  it('finds nothing to do in an empty message without touching anything else', () => {
    expect(hasScannableParts(message({}))).toBe(false);
    expect(hasScannableParts(message({ content: 'hi' }))).toBe(true);
    expect(hasScannableParts(message({ embeds: [{ url: 'https://a.example' }] }))).toBe(true);
  });

  it('reads content, link-embed URLs, attachments and forwarded snapshots', () => {
    const forwarded = { content: 'forwarded hxxps://evil[.]xyz', attachments: new Map([['2', file('2')]]), embeds: [] };
    const got = collect(message({
      content: 'look https://a.xyz',
      embeds: [{ url: 'https://b.xyz/preview' }, { url: null }],
      attachments: new Map([['1', file('1')]]),
      messageSnapshots: new Map([['9', forwarded]]),
    }));
    expect(got.texts).toEqual(['look https://a.xyz', 'https://b.xyz/preview', 'forwarded hxxps://evil[.]xyz']);
    expect(got.attachments.map((a) => a.id)).toEqual(['1', '2']);
  });

  it('counts an attachment present on the message and its snapshot once', () => {
    const got = collect(message({
      attachments: new Map([['1', file('1')]]),
      messageSnapshots: new Map([['9', { content: '', attachments: new Map([['1', file('1')]]), embeds: [] }]]),
    }));
    expect(got.attachments).toHaveLength(1);
  });
});

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
    expect(keys(['https://evil-payload.xyz/'], { ...on, autoscanLinks: false }, [aFile])).toEqual(['attachment:1']);
    expect(keys(['https://evil-payload.xyz/'], { ...on, autoscanAttachments: false }, [aFile])).toEqual(['url:https://evil-payload.xyz/']);
  });

  it('skips what was already handled on the message', () => {
    const handled = new Set(['url:https://evil-payload.xyz/']);
    expect(keys(['https://evil-payload.xyz/ and 203.0.113.9'], on, [], handled)).toEqual([]);
    expect(keys(['https://evil-payload.xyz/ and 8.8.4.4'], on, [], handled)).toEqual(['ip:8.8.4.4']);
  });

  it(`keeps at most ${MAX_INDICATORS_PER_MESSAGE} indicators, attachments first`, () => {
    const domains = Array.from({ length: 30 }, (_, i) => `site${i}.xyz`).join(' ');
    const result = plan({ texts: [domains], attachments: [aFile] }, on, new Set());
    expect(result.items).toHaveLength(MAX_INDICATORS_PER_MESSAGE);
    expect(result.items[0]?.kind).toBe('attachment');
    expect(result.overCap).toBe(31 - MAX_INDICATORS_PER_MESSAGE);
  });
});

describe('hash allowlist', () => {
  it('drops a hash the guild allowlisted (any case) and counts it as allowlisted', () => {
    const hash = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
    const other = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const got = plan({ texts: [`${hash.toUpperCase()} and ${other}`], attachments: [] }, { ...on, allowlistHashes: [hash] });
    expect(got.items.map(plannedKey)).toEqual([`hash:${other}`]);
    expect(got.allowlisted).toBe(1);
  });
});
