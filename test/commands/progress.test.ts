import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { progressEditor } from '../../src/commands/progress.js';

// Fake timers: the throttle is about wall-clock gaps, which a real clock would make slow and flaky.
beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

describe('progressEditor', () => {
  it('edits at most once per gap, keeps only the latest state, and always sends the final one last', async () => {
    const sent: string[] = [];
    const editor = progressEditor<string>((p) => { sent.push(p); return Promise.resolve(); }, { minGapMs: 1500, clock: () => Date.now() });
    editor.push('queued 3');
    editor.push('queued 2');
    editor.push('submitted');
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual(['queued 3']);
    await vi.advanceTimersByTimeAsync(1500);
    expect(sent).toEqual(['queued 3', 'submitted']);
    editor.push('analysing');
    await editor.final('result');
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual(['queued 3', 'submitted', 'result']);
  });

  it('still sends the final edit when a progress edit failed', async () => {
    const sent: string[] = [];
    const errors: unknown[] = [];
    const editor = progressEditor<string>((p) => {
      if (p === 'queued') return Promise.reject(new Error('429'));
      sent.push(p);
      return Promise.resolve();
    }, { onError: (e) => errors.push(e) });
    editor.push('queued');
    await editor.final('result');
    expect(sent).toEqual(['result']);
    expect(errors).toHaveLength(1);
  });
});
