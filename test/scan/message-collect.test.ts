import { describe, expect, it } from 'vitest';
import { Backlog } from '../../src/autoscan/backlog.js';
import { collect, mayHaveIndicators, type AttachmentLike, type ScannableMessage } from '../../src/scan/message-collect.js';
import { HandledIndicators } from '../../src/autoscan/runtime.js';

const file = (id: string): AttachmentLike => ({ id, name: `${id}.bin`, size: 10, url: `https://cdn.discordapp.com/attachments/1/${id}/${id}.bin` });
const message = (parts: Partial<ScannableMessage>): ScannableMessage => ({
  content: '',
  attachments: new Map<string, AttachmentLike>(),
  embeds: [],
  ...parts,
});

describe('collect', () => {
  it('finds nothing to do in an empty message without touching anything else', () => {
    expect(mayHaveIndicators(message({}))).toBe(false);
    expect(mayHaveIndicators(message({ content: 'hi' }))).toBe(true);
    expect(mayHaveIndicators(message({ embeds: [{ url: 'https://a.example' }] }))).toBe(true);
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

describe('Backlog', () => {
  it('grants slots up to its capacity and refuses the rest', () => {
    const backlog = new Backlog(3);
    expect(backlog.take(2)).toBe(2);
    expect(backlog.take(5)).toBe(1);
    expect(backlog.take(1)).toBe(0);
    backlog.release(2);
    expect(backlog.take(5)).toBe(2);
  });

  it('keeps resumed work even past capacity', () => {
    const backlog = new Backlog(1);
    backlog.reserve(3);
    expect(backlog.used).toBe(3);
    expect(backlog.take(1)).toBe(0);
  });
});

describe('HandledIndicators', () => {
  it('remembers what each message was answered for', () => {
    const handled = new HandledIndicators();
    handled.add('m1', ['url:https://a.xyz/']);
    handled.add('m1', ['domain:b.xyz']);
    expect([...handled.of('m1')]).toEqual(['url:https://a.xyz/', 'domain:b.xyz']);
    expect(handled.of('m2').size).toBe(0);
  });
});
