import { describe, expect, it } from 'vitest';
import { progressEmbed } from '../../../src/discord/render/progress.js';

describe('progressEmbed', () => {
  it('shows the queue position and a rough wait', () => {
    const e = progressEmbed({ kind: 'url', value: 'https://a.example' }, { stage: 'queued', position: 3, estimatedWaitMs: 90_000 });
    expect(e.description).toContain('position 3');
    expect(e.description).toContain('about 2 min');
    expect(e.description).toContain('hxxps://a[.]example');
  });
});
