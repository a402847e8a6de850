/** Votes, Details and Rescan end to end, plus /vt-config permissions and registration. */
import { MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../support/vt-double.js';
import { buttonId, eicarResult, embedText, expectNoPings, responseMessage, startCommandHarness, type CommandHarness, type MessageBody } from '../support/command-harness.js';
import { eventually } from '../support/wait.js';

let h: CommandHarness;
let resultId = '';
const customId = buttonId;
let result: MessageBody = {};

beforeAll(async () => {
  h = await startCommandHarness();
  ({ result, resultId } = await eicarResult(h));
});
afterAll(async () => {
  expectNoPings(h);
  await h.close();
});

const tallyOf = (): string | undefined => h.discord.message(resultId)?.message.embeds[0]?.fields?.find((f) => f.name === 'Moderator votes')?.value;

describe('buttons', () => {
  it('refuses a vote from a plain member, ephemerally, and records nothing anywhere', async () => {
    const press = await h.discord.pressButton({ member: h.discord.members.member, message: resultId, customId: customId(result, 'Vote malicious') });
    const { body } = await h.sent(press, (b) => b.content !== undefined);
    expect(body.flags).toBe(MessageFlags.Ephemeral);
    expect(body.content).toContain('Only moderators');
    expect(h.vt.votesOn('file', SEED.eicar.sha256)).toEqual([]);
    expect(tallyOf()).toBe('0 malicious · 0 harmless');
  });

  it('records a moderator vote, forwards it to VirusTotal and updates the tally on the message', async () => {
    const press = await h.discord.pressButton({ member: h.discord.members.moderator, message: resultId, customId: customId(result, 'Vote malicious') });
    const { body } = await h.sent(press, (b) => b.content?.includes('forwarded to VirusTotal') === true);
    expect(body.flags).toBe(MessageFlags.Ephemeral);
    expect(h.vt.votesOn('file', SEED.eicar.sha256).map((v) => v.verdict)).toEqual(['malicious']);
    expect(tallyOf()).toBe('1 malicious · 0 harmless');
  });

  it('counts two moderators voting at once without losing either', async () => {
    const [a, b] = await Promise.all([
      h.discord.pressButton({ member: h.discord.members.admin, message: resultId, customId: customId(result, 'Vote harmless') }),
      h.discord.pressButton({ member: h.discord.members.owner, message: resultId, customId: customId(result, 'Vote harmless') }),
    ]);
    await Promise.all([h.sent(a, (x) => x.content?.includes('Recorded') === true), h.sent(b, (x) => x.content?.includes('Recorded') === true)]);
    expect(tallyOf()).toBe('1 malicious · 2 harmless');
  });

  it('shows Details to anyone, ephemerally: engines, comments and sandbox behaviour', async () => {
    const press = await h.discord.pressButton({ member: h.discord.members.member, message: resultId, customId: customId(result, 'Details') });
    const call = await h.sent(press, (b) => b.embeds?.[0]?.title?.startsWith('Details') === true);
    const { body } = call;
    // Deferred ephemerally, then filled in: the message itself carries the flag.
    expect((responseMessage(call).flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(embedText(body)).toContain('EICAR');
    expect(embedText(body)).toContain('Latest VirusTotal comments');
    expect(embedText(body)).toContain('T1497');
    expect(embedText(body)).toContain('Contacted');
    expect(embedText(body)).toContain(SEED.maliciousDomain.replace(/\./g, '[.]'));
  });

  it('costs no VirusTotal request when Details is pressed again', async () => {
    const before = h.vt.requests.length;
    const press = await h.discord.pressButton({ member: h.discord.members.member, message: resultId, customId: customId(result, 'Details') });
    await h.sent(press, (b) => b.embeds?.[0]?.title?.startsWith('Details') === true);
    expect(h.vt.requests.length).toBe(before);
  });

  it('rescans for a moderator, asking VirusTotal again and keeping the tally', async () => {
    const before = h.vt.requestsTo(new RegExp(`/files/${SEED.eicar.sha256}`)).length;
    const press = await h.discord.pressButton({ member: h.discord.members.moderator, message: resultId, customId: customId(result, 'Rescan') });
    await h.discord.waitFor((c) => h.discord.callsFor(press).includes(c) && c.method === 'PATCH');
    expect(h.vt.requestsTo(new RegExp(`/files/${SEED.eicar.sha256}`)).length).toBeGreaterThan(before);
    expect(tallyOf()).toBe('1 malicious · 2 harmless');
  });

  it('refuses Rescan to a plain member', async () => {
    const press = await h.discord.pressButton({ member: h.discord.members.member, message: resultId, customId: customId(result, 'Rescan') });
    const { body } = await h.sent(press, (b) => b.content !== undefined);
    expect(body.content).toContain('Only moderators');
  });
});

describe('/vt-config', () => {
  it('refuses a member without Manage Server', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt-config', subcommand: 'set', options: { setting: 'action', value: 'delete' } });
    const { body } = await h.sent(handle, (b) => b.content !== undefined);
    expect(body.flags).toBe(MessageFlags.Ephemeral);
    expect(body.content).toContain('Manage Server');
    expect((await h.app.ctx.store.settings.get(h.discord.guild.id)).action).toBe('reply');
  });

  it('lets an admin change a setting and explains a bad value', async () => {
    const ok = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'set', options: { setting: 'malicious_threshold', value: '5' } });
    expect((await h.sent(ok, (b) => b.content !== undefined)).body.content).toContain('**5**');
    const bad = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'set', options: { setting: 'malicious_threshold', value: 'lots' } });
    expect((await h.sent(bad, (b) => b.content !== undefined)).body.content).toContain('e.g.');
    expect((await h.app.ctx.store.settings.get(h.discord.guild.id)).maliciousThreshold).toBe(5);
  });
});

describe('/vt-config allow and show', () => {
  it('allowlists a registrable domain and shows it, refusing shared hosting', async () => {
    const allow = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'allow', options: { domain: 'https://www.our-wiki.xyz/page' } });
    expect((await h.sent(allow, (b) => b.content !== undefined)).body.content).toContain('will no longer be scanned');
    const shared = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'allow', options: { domain: 'github.io' } });
    expect((await h.sent(shared, (b) => b.content !== undefined)).body.content).toContain('shared hosting');
    const show = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'show' });
    const { body } = await h.sent(show, (b) => b.embeds !== undefined);
    expect(body.flags).toBe(MessageFlags.Ephemeral);
    expect(embedText(body)).toContain('our-wiki.xyz');
    expect(embedText(body)).toContain('`malicious_threshold` **5**');
  });
});

describe('registration', () => {
  it('registers the registry with Manage Server on /vt-config, and not again on a restart', async () => {
    const names = h.discord.registeredCommands.map((c) => c.name).sort();
    expect(names).toEqual(['Scan with VirusTotal', 'vt', 'vt-config']);
    expect(h.discord.registeredCommands.find((c) => c.name === 'vt-config')?.default_member_permissions).toBe('32');
    const puts = (): number => h.discord.calls.filter((c) => c.method === 'PUT' && /\/commands$/.test(c.path)).length;
    expect(puts()).toBe(1);
    await h.restart();
    expect(puts()).toBe(1);
  });
});

describe('a malicious vote on an auto-scan answer', () => {
  it('deletes the scanned message when the guild action is delete, and logs the vote', async () => {
    const guild = h.discord.guild.id;
    await h.app.ctx.store.settings.set(guild, 'report_clean', true);
    await h.app.ctx.store.settings.set(guild, 'log_channel', h.discord.channels.log);
    h.vt.addUrl('https://harmless-looking.xyz/', { verdict: { harmless: 60, undetected: 10 } });
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'try https://harmless-looking.xyz/' });
    const answer = await eventually(() => h.discord.messages(h.discord.channels.general)
      .find((m) => m.author.id === h.discord.botUser.id && m.message_reference?.message_id === posted.id));
    await h.app.ctx.store.settings.set(guild, 'action', 'delete');
    const vote = answer.components?.[0] as { components: { custom_id?: string; label?: string }[] } | undefined;
    const id = vote?.components.find((c) => c.label === 'Vote malicious')?.custom_id ?? 'missing';
    await h.discord.pressButton({ member: h.discord.members.moderator, message: answer.id, customId: id });
    await eventually(() => (h.discord.message(posted.id)?.deleted === true ? true : undefined));
    const logged = await eventually(() => h.discord.messages(h.discord.channels.log).find((m) => m.content.includes('voted **malicious**')));
    expect(logged.content).toContain(`<@${h.discord.members.moderator.id}>`);
  });
});

describe('buttons on a card about a very long URL', () => {
  it('rescan and show details of a 1,900-character URL, which the card itself cannot hold', async () => {
    await h.app.ctx.store.settings.set(h.discord.guild.id, 'action', 'reply');
    const url = `https://long-payload.xyz/dl?${'q=abcdefghij&'.repeat(145)}end=1`;
    expect(url.length).toBeGreaterThan(1_900);
    const stored = h.vt.addUrl(url, { verdict: { malicious: 40, undetected: 20 } });
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: url });
    const answer = await eventually(() => h.discord.messages(h.discord.channels.general)
      .find((m) => m.author.id === h.discord.botUser.id && m.message_reference?.message_id === posted.id));
    const row = answer.components?.[0] as { components: { custom_id?: string; label?: string }[] } | undefined;
    const idOf = (label: string): string => row?.components.find((c) => c.label === label)?.custom_id ?? 'missing';

    const details = await h.discord.pressButton({ member: h.discord.members.member, message: answer.id, customId: idOf('Details') });
    const shown = await h.sent(details, (b) => b.embeds?.[0]?.title?.startsWith('Details') === true);
    expect(embedText(shown.body)).toContain('long-payload[.]xyz');

    const urlRequests = (): number => h.vt.requestsTo(new RegExp(`/urls/${stored.id}`)).length + h.vt.requestsTo(/\/urls$/, 'POST').length;
    const before = urlRequests();
    const rescan = await h.discord.pressButton({ member: h.discord.members.moderator, message: answer.id, customId: idOf('Rescan') });
    await h.discord.waitFor((c) => h.discord.callsFor(rescan).includes(c) && c.method === 'PATCH');
    expect(urlRequests()).toBeGreaterThan(before);
  });
});
