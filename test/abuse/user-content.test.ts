/**
 * Links to places where anyone can upload (Discord's own file CDN, GitHub release downloads, Google
 * Sites) are looked up even though their sites are on the built-in allowlist; the rest of those
 * sites still costs nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/autoscan-harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => h.close());

const MALWARE = { verdict: { malicious: 31, harmless: 20, undetected: 18, label: 'trojan' } };

describe('user-content links on allowlisted sites', () => {
  it.each([
    'https://cdn.discordapp.com/attachments/1234567890/9876543210/FreeNitro.exe',
    'https://github.com/n1tro-gen/claimer/releases/download/v2/claimer.exe',
    'https://sites.google.com/view/steam-gift-claim-2026',
  ])('answers a malicious %s posted as text', async (url) => {
    h.vt.addUrl(url, MALWARE);
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `grab it: ${url}` });
    await h.settled(posted);
    const replies = h.repliesTo(posted.id);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.embeds)).toContain('31/69');
  });

  it('still skips an ordinary page of an allowlisted site without asking VirusTotal', async () => {
    const before = h.vt.requests.length;
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'docs at https://github.com/nodejs/node and https://www.youtube.com/watch?v=dQw4w9WgXcQ' });
    await h.settled(posted);
    expect(h.vt.requests.length).toBe(before);
    expect(h.repliesTo(posted.id)).toHaveLength(0);
  });
});
