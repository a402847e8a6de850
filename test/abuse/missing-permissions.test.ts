/**
 * Missing permissions must not make alerts vanish: when Discord answers 403 (50013) to the configured
 * action, the bot falls back to a reply, then the log channel, and says once in the log channel which
 * permission is missing.
 */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { SEED } from '../support/vt-double.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => h.close());
beforeEach(async () => { await h.set('log_channel', h.discord.channels.log); });

const logLines = (): string[] => h.discord.messages(h.discord.channels.log).map((m) => m.content);
const notices = (permission: string): string[] => logLines().filter((c) => c.startsWith('⚠️ vt-guard is missing') && c.includes(permission));
const refused = (path: RegExp): number => h.discord.calls.filter((c) => c.status === 403 && path.test(c.path)).length;

async function postFlagged(channelId: string, text = 'payload'): Promise<string> {
  const posted = await h.discord.postMessage({ author: h.discord.members.member, channelId, content: `${text} ${SEED.eicar.sha256}` });
  await h.settled(posted);
  return posted.id;
}

describe('action delete without Manage Messages', () => {
  it('replies instead, copies to the log channel, and names the permission once', async () => {
    await h.set('action', 'delete');
    h.discord.denyBot(h.discord.channels.links, P.ManageMessages);
    const first = await postFlagged(h.discord.channels.links, 'one');
    const second = await postFlagged(h.discord.channels.links, 'two');
    expect(refused(/\/channels\/\d+\/messages\/\d+$/)).toBe(2);
    for (const id of [first, second]) {
      expect(h.discord.message(id)?.deleted).toBe(false);
      const replies = h.repliesTo(id, h.discord.channels.links);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.embeds[0]?.title).toBe('File · malicious');
      expect(logLines().some((c) => c.startsWith('Flagged') && c.includes(id))).toBe(true);
    }
    expect(notices('Manage Messages')).toHaveLength(1);
    expect(notices('Manage Messages')[0]).toContain(`<#${h.discord.channels.links}>`);
    expect(notices('Manage Messages')[0]).toContain('replied to the message instead');
  });
});

describe('action react without Add Reactions', () => {
  it('replies instead and says which permission is missing', async () => {
    await h.set('action', 'react');
    h.discord.denyBot(h.discord.channels.general, P.AddReactions);
    const id = await postFlagged(h.discord.channels.general);
    expect(h.discord.message(id)?.message.reactions ?? []).toEqual([]);
    expect(h.repliesTo(id)).toHaveLength(1);
    expect(notices('Add Reactions')).toHaveLength(1);
  });
});

describe('no way to act in the channel at all', () => {
  it('posts the result in the log channel, and names both missing permissions once', async () => {
    await h.set('action', 'react');
    // general already lacks Add Reactions; now it cannot reply either.
    h.discord.denyBot(h.discord.channels.general, P.SendMessages);
    const id = await postFlagged(h.discord.channels.general, 'three');
    expect(h.repliesTo(id)).toHaveLength(0);
    const posted = h.discord.messages(h.discord.channels.log).find((m) => m.content.startsWith('Flagged (could not act in the channel)') && m.content.includes(id));
    // The review card: its own embed first, then the verdict card, and its buttons.
    expect(posted?.embeds.map((e) => e.title)).toEqual(['Review · flagged message', 'File · malicious']);
    expect(JSON.stringify(posted?.components)).toContain('vt:card:');
    const both = notices('Add Reactions').filter((c) => c.includes('Send Messages'));
    expect(both).toHaveLength(1);
    expect(both[0]).toContain('posted the result here instead');
  });
});
