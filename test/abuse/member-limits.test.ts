/**
 * One member must not be able to spend the server's VirusTotal key: a per-member limit on look-ups
 * people start (`member_rate`), and a share of the day budget commands cannot touch
 * (`autoscan_reserve`), so auto-scan keeps protecting the server.
 */
import { MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/store/settings.js';
import { embedText, startCommandHarness, type CommandHarness, type MessageBody } from '../support/command-harness.js';
import type { MemberFixture } from '../support/discord-double.js';
import { SEED } from '../support/vt-double.js';

/** A well-formed sha256 VirusTotal has never seen (each look-up is one request). */
const unseen = (n: number, fill = 'c'): string => n.toString(16).padStart(64, fill);

async function hashCommand(h: CommandHarness, member: MemberFixture, hash: string): Promise<MessageBody> {
  const handle = await h.discord.runCommand({ member, name: 'vt', subcommand: 'hash', options: { hash } });
  const { body } = await h.sent(handle, (b) => b.content?.includes('Try again') === true || (b.embeds?.length ?? 0) > 0 && !/Checking|queued/i.test(embedText(b)));
  return body;
}

describe('member_rate: look-ups per member per 10 minutes', () => {
  let h: CommandHarness;
  beforeAll(async () => { h = await startCommandHarness({ memberRate: DEFAULT_SETTINGS.memberRate }); });
  afterAll(async () => h.close());

  it('defaults to 5, then refuses ephemerally with a relative time and sends VirusTotal nothing', async () => {
    expect(DEFAULT_SETTINGS.memberRate).toBe(5);
    for (let i = 0; i < 4; i++) await hashCommand(h, h.discord.members.member, unseen(i));
    // The context menu counts as a look-up too: this is the fifth.
    const posted = await h.discord.postMessage({ author: h.discord.members.owner, content: `look ${SEED.eicar.sha256}` });
    const menu = await h.discord.runContextMenu({ member: h.discord.members.member, targetMessage: posted });
    await h.sent(menu, (b) => b.embeds?.[0]?.title === 'File · malicious');

    const before = h.vt.requests.length;
    const refused = await hashCommand(h, h.discord.members.member, unseen(99));
    expect(refused.flags).toBe(MessageFlags.Ephemeral);
    expect(refused.content).toMatch(/5 look-ups in the last 10 minutes.*Try again <t:\d+:R>/);
    const again = await h.discord.runContextMenu({ member: h.discord.members.member, targetMessage: posted });
    expect((await h.sent(again, (b) => b.content !== undefined)).body.content).toContain('Try again <t:');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.vt.requests.length).toBe(before);
  });

  it('counts per member, and does not limit members with Manage Messages', async () => {
    for (let i = 0; i < 7; i++) {
      const body = await hashCommand(h, h.discord.members.moderator, unseen(200 + i));
      expect(body.content ?? '').not.toContain('Try again');
    }
    expect((await hashCommand(h, h.discord.members.admin, unseen(300))).content ?? '').not.toContain('Try again');
  });

  it('keeps the count over a restart', async () => {
    await h.restart();
    expect((await hashCommand(h, h.discord.members.member, unseen(400))).content).toContain('Try again <t:');
  });
});

describe('autoscan_reserve: the share of the day budget commands cannot spend', () => {
  let h: CommandHarness;
  beforeAll(async () => { h = await startCommandHarness({ env: { VT_QUOTA_PER_DAY: '10' } }); });
  afterAll(async () => h.close());

  it('stops commands at 70% of a 10-request day, still answers from the cache, and auto-scan goes on', async () => {
    expect(DEFAULT_SETTINGS.autoscanReserve).toBe(30);
    await hashCommand(h, h.discord.members.member, SEED.eicar.sha256); // request 1, now cached
    for (let i = 0; i < 6; i++) await hashCommand(h, h.discord.members.moderator, unseen(i, 'd')); // requests 2–7
    const sent = h.vt.requests.length;

    const refused = await hashCommand(h, h.discord.members.moderator, unseen(50, 'd'));
    expect(embedText(refused)).toContain("The rest of today's VirusTotal quota is kept for auto-scan");
    expect(embedText(refused)).not.toContain('quota is used up');
    expect(h.vt.requests.length).toBe(sent);

    const cached = await hashCommand(h, h.discord.members.member, SEED.eicar.sha256);
    expect(embedText(cached)).toContain('File · malicious');
    expect(h.vt.requests.length).toBe(sent);

    h.vt.addUrl('https://reserve-check.xyz/dl.exe', { verdict: { malicious: 20, undetected: 40 } });
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'get https://reserve-check.xyz/dl.exe' });
    await h.discord.waitFor((c) => c.method === 'POST' && (c.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === posted.id);
    expect(h.vt.requests.length).toBe(sent + 1);
  });

  it('with autoscan_reserve 0, commands may use the whole day again', async () => {
    await h.app.ctx.store.settings.set(h.discord.guild.id, 'autoscan_reserve', 0);
    const body = await hashCommand(h, h.discord.members.moderator, unseen(51, 'd'));
    expect(embedText(body)).not.toContain('kept for auto-scan');
  });
});
