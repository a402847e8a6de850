import { describe, expect, it } from 'vitest';
import { Backlog } from '../../src/autoscan/backlog.js';
import { HandledIndicators } from '../../src/autoscan/runtime.js';

describe('Backlog', () => {
  it('grants slots up to its capacity and refuses the rest', () => {
    const backlog = new Backlog(3);
    expect(backlog.take(2, 'g/a')).toBe(2);
    expect(backlog.take(5, 'g/b')).toBe(1);
    expect(backlog.take(1, 'g/c')).toBe(0);
    backlog.release(2, 'g/a');
    expect(backlog.take(5, 'g/c')).toBe(2);
  });

  it('caps what one owner holds, leaving room for everyone else', () => {
    const backlog = new Backlog(10, 3);
    expect(backlog.take(5, 'g/flooder')).toBe(3);
    expect(backlog.take(1, 'g/flooder')).toBe(0);
    expect(backlog.take(2, 'g/other')).toBe(2);
    backlog.release(1, 'g/flooder');
    expect(backlog.heldBy('g/flooder')).toBe(2);
    expect(backlog.take(5, 'g/flooder')).toBe(1);
  });

  it('keeps resumed work even past capacity', () => {
    const backlog = new Backlog(1);
    backlog.reserve(3, 'g/a');
    expect(backlog.used).toBe(3);
    expect(backlog.take(1, 'g/b')).toBe(0);
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
