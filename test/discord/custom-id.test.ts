import { describe, expect, it } from 'vitest';
import { CUSTOM_ID_MAX, decode, decodeCard, decodeTarget, encode, encodeCard, encodeTarget } from '../../src/discord/custom-id.js';

const SHA = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

describe('custom_id codec', () => {
  it.each([
    [{ action: 'vote-malicious', kind: 'file', id: SHA }, `vt:vm:file:${SHA}`],
    [{ action: 'vote-harmless', kind: 'url', id: SHA }, `vt:vh:url:${SHA}`],
    [{ action: 'details', kind: 'domain', id: 'evil.example' }, 'vt:dt:domain:evil.example'],
    [{ action: 'rescan', kind: 'ip', id: '2001:db8::1' }, 'vt:rs:ip:2001:db8::1'],
    [{ action: 'pick' }, 'vt:pick'],
  ] as const)('round-trips %j', (value, id) => {
    expect(encode(value)).toBe(id);
    expect(decode(id)).toEqual(value);
  });

  it.each(['', 'vt', 'vt:', 'vt:xx:file:' + SHA, 'vt:vm:blob:abc', 'vt:vm:url:https://evil.example', 'vt:vm:file:nothex', 'other:vm:file:' + SHA, 'vt:vm:file:' + SHA + 'a'.repeat(60), 'vt:dt:domain:bad domain'])(
    'decodes garbage %j to null',
    (garbage) => {
      expect(decode(garbage)).toBeNull();
    },
  );

  it('refuses ids that would not fit in 100 characters', () => {
    const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.com`;
    expect(encode({ action: 'details', kind: 'domain', id: long })).toBeNull();
    expect(encodeTarget({ kind: 'domain', id: long })).toBeNull();
  });

  it('never exceeds Discord\'s limit for the longest accepted id', () => {
    const id = `${'a'.repeat(40)}.${'b'.repeat(38)}.io`;
    const out = encode({ action: 'details', kind: 'domain', id });
    expect(out === null || out.length <= CUSTOM_ID_MAX).toBe(true);
  });

  it('decodes select option values', () => {
    expect(decodeTarget(`file:${SHA}`)).toEqual({ kind: 'file', id: SHA });
    expect(decodeTarget('url:https://x')).toBeNull();
  });
});

describe('card buttons', () => {
  it('round-trips every card action through a short id, and refuses anything else', () => {
    const actions = ['delete', 'timeout', 'kick', 'ban', 'allow', 'false-positive', 'rescan', 'vote-malicious', 'vote-harmless', 'upload'] as const;
    for (const action of actions) {
      expect(encodeCard(action).length).toBeLessThanOrEqual(100);
      expect(decodeCard(encodeCard(action))).toBe(action);
    }
    expect(new Set(actions.map(encodeCard)).size).toBe(actions.length);
    expect(decodeCard('vt:card:zz')).toBeNull();
    expect(decodeCard('vt:vm:file:' + 'a'.repeat(64))).toBeNull();
  });
});
