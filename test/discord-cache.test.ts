/**
 * The bot's discord.js caches stay bounded however long a channel's history gets
 * (src/discord/client.ts), and an edit of a message that fell out of the cache is still scanned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES_PER_CHANNEL } from '../src/discord/client.js';
import { startHarness, type Harness } from './support/autoscan-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.vt.addUrl('https://late-link.xyz/x', { verdict: { malicious: 9, harmless: 50, undetected: 10, label: 'malware' } });
});
afterAll(async () => h.close());

describe('discord.js caches', () => {
  it(`keep at most ${String(MESSAGES_PER_CHANNEL)} messages per channel, and an edit of a message not kept is still scanned`, async () => {
    const channelId = h.discord.channels.links;
    const first = await h.discord.postMessage({ author: h.discord.members.member, channelId, content: 'hello 0' });
    let last = first;
    for (let i = 1; i < MESSAGES_PER_CHANNEL + 20; i += 1) last = await h.discord.postMessage({ author: h.discord.members.member, channelId, content: `hello ${String(i)}` });
    await h.settled(last);
    const channel = h.app.client?.channels.cache.get(channelId);
    const cache = channel?.isTextBased() === true ? channel.messages.cache : undefined;
    expect(cache?.size).toBe(MESSAGES_PER_CHANNEL);
    expect(cache?.has(first.id)).toBe(false);

    await h.discord.editMessage({ messageId: first.id, content: 'hello 0, see https://late-link.xyz/x' });
    const reply = await h.discord.waitFor((c) => c.method === 'POST' && (c.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === first.id);
    expect(JSON.stringify(reply.body)).toContain('late-link[.]xyz');
  });
});
