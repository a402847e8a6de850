import { describe, expect, it } from 'vitest';
import { Backlog } from '../../src/autoscan/backlog.js';
import { HandledIndicators } from '../../src/autoscan/runtime.js';

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
