/**
 * Discord failing to take what the bot sends: 5xx on a send or an edit is retried (discord.js's
 * `rest.retries`), then reported; an interaction whose 15-minute token has expired gets its result
 * posted in the channel, saying whose request it answers, without pinging anyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonId, responseMessage, startCommandHarness, type CommandHarness } from '../support/command-harness.js';
import { SEED } from '../support/vt-double.js';

describe('Discord 5xx', () => {
  let h: CommandHarness;
  beforeAll(async () => { h = await startCommandHarness(); });
  afterAll(async () => h.close());

  it('retries an edit of the reply that Discord answered with 502 twice, and shows the result', async () => {
    h.discord.failNext({ method: 'PATCH', path: /\/messages\/@original$/, status: 502, times: 2 });
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
    await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && c.status === 200 && JSON.stringify(c.body).includes('File · malicious'));
    const edits = h.discord.callsFor(handle).filter((c) => c.method === 'PATCH');
    expect(edits.slice(0, 3).map((c) => c.status)).toEqual([502, 502, 200]);
  });

  it('retries a channel message Discord answered with 503, so the auto-scan reply still arrives', async () => {
    h.discord.failNext({ method: 'POST', path: `/channels/${h.discord.channels.general}/messages`, status: 503, times: 2 });
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `file ${SEED.eicar.md5}` });
    const call = await h.discord.waitFor((c) => c.status === 200 && c.method === 'POST' && (c.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === posted.id);
    const attempts = h.discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${h.discord.channels.general}/messages` && c.seq <= call.seq && c.faulted);
    expect(attempts.map((c) => c.status)).toEqual([503, 503]);
  });

  it('reports a 5xx that outlasts the retries: the user sees a reference, the log has it', async () => {
    // One try and three retries fail; the failure line (a fifth edit) gets through.
    h.discord.failNext({ method: 'PATCH', path: /\/messages\/@original$/, status: 500, times: 4 });
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'domain', options: { domain: SEED.maliciousDomain } });
    const { body } = await h.sent(handle, (b) => b.content?.includes('ref `') === true, 15_000);
    const ref = /ref `([0-9a-f]+)`/.exec(body.content ?? '')?.[1];
    expect(h.logs.some((l) => l.refId === ref && l.msg === 'interaction failed')).toBe(true);
    expect(h.discord.callsFor(handle).filter((c) => c.method === 'PATCH' && c.status === 500)).toHaveLength(4);
  }, 20_000);
});

describe('an interaction older than its token', () => {
  let h: CommandHarness;
  // Discord's tokens live 15 minutes; the double's here live one second, and VirusTotal takes 1.5.
  beforeAll(async () => { h = await startCommandHarness({ discord: { interactionTokenTtlMs: 1_000 } }); });
  afterAll(async () => h.close());

  it('posts the result in the channel, naming whose request it answers, without a ping', async () => {
    h.vt.fault({ path: /\/api\/v3\/files\//, method: 'GET' }, { delayMs: 1_500 });
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
    const posted = await h.discord.waitFor((c) => c.method === 'POST' && c.path === `/channels/${h.discord.channels.general}/messages`
      && JSON.stringify(c.body).includes('File · malicious'), 10_000);
    const body = posted.body as { content: string; allowed_mentions?: { parse?: string[] } };
    expect(body.content).toContain(`<@${h.discord.members.member.id}>'s \`/vt\``);
    expect(body.allowed_mentions?.parse).toEqual([]);
    // The reply itself could not be edited any more: Discord said the token is invalid.
    expect(h.discord.callsFor(handle).some((c) => c.method === 'PATCH' && c.status === 401)).toBe(true);
  });

  it('edits the card itself when a Rescan outlives the press', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
    const shown = await h.sent(handle, (b) => b.embeds?.[0]?.title === 'File · malicious');
    const card = responseMessage(shown);
    h.vt.fault({ path: /\/analyse$/, method: 'POST' }, { delayMs: 1_500 });
    const rescan = buttonId(shown.body, 'Rescan');
    const press = await h.discord.pressButton({ member: h.discord.members.moderator, message: card.id, customId: rescan });
    const edited = await h.discord.waitFor((c) => c.method === 'PATCH' && c.path === `/channels/${card.channel_id}/messages/${card.id}`, 10_000);
    expect(edited.status).toBe(200);
    expect(h.discord.callsFor(press).some((c) => c.method === 'PATCH' && c.status === 401)).toBe(true);
    expect(h.discord.message(card.id)?.message.embeds[0]?.title).toBe('File · malicious');
  });
});
