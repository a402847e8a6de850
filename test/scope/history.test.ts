/** The audit trail at the wire: recorded from auto-scan, votes and settings; /vt-config history with filters and pages; retro alerts. */
import { MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { buttonId, messageOf, responseMessage, type MessageBody } from '../support/command-harness.js';
import type { InteractionHandle } from '../support/discord-double.js';

const TURNS_BAD = 'turns-bad.xyz';
const ALWAYS_CLEAN = 'always-fine.xyz';
const RESCANNED = 'rescanned-site.xyz';
const CACHED_THEN_BAD = 'cached-then-bad.xyz';
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.vt.addDomain(TURNS_BAD, { verdict: { harmless: 60, undetected: 10 } });
  h.vt.addDomain(ALWAYS_CLEAN, { verdict: { harmless: 60, undetected: 10 } });
  h.vt.addDomain(RESCANNED, { verdict: { harmless: 60, undetected: 10 } });
  h.vt.addDomain(CACHED_THEN_BAD, { verdict: { harmless: 60, undetected: 10 } });
  await h.set('log_channel', h.discord.channels.log);
});
afterAll(async () => h.close());

async function sent(handle: InteractionHandle, match: (b: MessageBody) => boolean = () => true) {
  const call = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && match(messageOf(c.body)), 8000);
  return { call, body: messageOf(call.body) };
}
const history = (options: Record<string, string> = {}) =>
  h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'history', options });

describe('retro alerts', () => {
  it('posts an alert with jump links to the earlier messages when a malicious vote confirms a domain seen clean', async () => {
    const first = await h.discord.postMessage({ author: h.discord.members.member, content: `try ${TURNS_BAD}` });
    const second = await h.discord.postMessage({ author: h.discord.members.owner, channelId: h.discord.channels.links, content: `also ${TURNS_BAD} here` });
    await h.settled(first);
    await h.settled(second);
    expect(h.repliesTo(first.id)).toEqual([]); // clean: auto-scan stays quiet, but remembers

    const lookup = await h.discord.runCommand({ member: h.discord.members.moderator, name: 'vt', subcommand: 'domain', options: { domain: TURNS_BAD } });
    const { call, body } = await sent(lookup, (b) => b.embeds?.[0]?.title === 'Domain · clean');
    const before = h.discord.messages(h.discord.channels.log).length;
    await h.discord.pressButton({ member: h.discord.members.moderator, message: responseMessage(call).id, customId: buttonId(body, 'Vote malicious') });
    const alert = await h.discord.waitFor((c) => c.path === `/channels/${h.discord.channels.log}/messages` && JSON.stringify(c.body).includes('Now found malicious'));
    const text = JSON.stringify(alert.body);
    expect(text).toContain(`https://discord.com/channels/${h.discord.guild.id}/${h.discord.channels.general}/${first.id}`);
    expect(text).toContain(`https://discord.com/channels/${h.discord.guild.id}/${h.discord.channels.links}/${second.id}`);
    expect(text).toContain('turns-bad[.]xyz');
    expect(text).not.toContain(`https://${TURNS_BAD}`);
    expect((alert.body as { allowed_mentions?: unknown }).allowed_mentions).toMatchObject({ parse: [] });

    // Once alerted, the same object does not alert again for the same sightings.
    const third = await h.discord.postMessage({ author: h.discord.members.member, content: `again ${TURNS_BAD}` });
    await h.settled(third);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.discord.messages(h.discord.channels.log).filter((m) => JSON.stringify(m.embeds).includes('Now found malicious')).length).toBe(1);
    expect(h.discord.messages(h.discord.channels.log).length).toBeGreaterThan(before);
  });

  it('links a later message whose link was answered clean from the cache (no job, no request) too', async () => {
    const first = await h.discord.postMessage({ author: h.discord.members.member, content: `see ${CACHED_THEN_BAD}` });
    await h.settled(first);
    const requests = h.vt.requests.length;
    const second = await h.discord.postMessage({ author: h.discord.members.owner, content: `me too ${CACHED_THEN_BAD}` });
    await h.settled(second);
    expect(h.vt.requests.length).toBe(requests); // the cached clean report answered it
    const lookup = await h.discord.runCommand({ member: h.discord.members.moderator, name: 'vt', subcommand: 'domain', options: { domain: CACHED_THEN_BAD } });
    const { call, body } = await sent(lookup, (b) => b.embeds?.[0]?.title === 'Domain · clean');
    await h.discord.pressButton({ member: h.discord.members.moderator, message: responseMessage(call).id, customId: buttonId(body, 'Vote malicious') });
    const alert = await h.discord.waitFor((c) => c.path === `/channels/${h.discord.channels.log}/messages` && JSON.stringify(c.body).includes('Now found malicious') && JSON.stringify(c.body).includes('cached-then-bad[.]xyz'));
    const text = JSON.stringify(alert.body);
    expect(text).toContain(`/${h.discord.channels.general}/${first.id}`);
    expect(text).toContain(`/${h.discord.channels.general}/${second.id}`);
  });

  it('also alerts when a Rescan finds a domain malicious that auto-scan saw clean', async () => {
    const seen = await h.discord.postMessage({ author: h.discord.members.member, content: `visit ${RESCANNED}` });
    await h.settled(seen);
    // A Rescan within 2 s of a look-up shares that look-up's answer (scan/scanner-flights.ts grace).
    await new Promise((r) => setTimeout(r, 2100));
    const lookup = await h.discord.runCommand({ member: h.discord.members.moderator, name: 'vt', subcommand: 'domain', options: { domain: RESCANNED } });
    const { call, body } = await sent(lookup, (b) => b.embeds?.[0]?.title === 'Domain · clean');
    h.vt.addDomain(RESCANNED, { verdict: { malicious: 20, harmless: 40, undetected: 10, label: 'phishing' } });
    const message = h.discord.messages(h.discord.channels.general).filter((m) => m.interaction_metadata?.id === lookup.id).at(-1);
    await h.discord.pressButton({ member: h.discord.members.moderator, message: message?.id ?? responseMessage(call).id, customId: buttonId(body, 'Rescan') });
    const alert = await h.discord.waitFor((c) => c.path === `/channels/${h.discord.channels.log}/messages` && JSON.stringify(c.body).includes('rescanned-site[.]xyz'));
    expect(JSON.stringify(alert.body)).toContain(`/${seen.id})`);
    expect(JSON.stringify(alert.body)).toContain('(rescan)');
  });
});

describe('/vt-config history', () => {
  it('shows scans, actions, votes and settings changes, ephemeral, filtered by user or target', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `see ${ALWAYS_CLEAN}` });
    await h.settled(posted);
    const all = await sent(await history(), (b) => b.embeds !== undefined);
    expect(all.body.flags).toBe(MessageFlags.Ephemeral);
    const page = JSON.stringify(all.body.embeds);
    expect(page).toContain('🔎 scan');
    expect(page).toContain('always-fine[.]xyz');
    expect(page).toContain('🗳️ vote');

    const byOwner = JSON.stringify((await sent(await history({ user: h.discord.members.owner.id }), (b) => b.embeds !== undefined)).body.embeds);
    expect(byOwner).toContain(`<@${h.discord.members.owner.id}>`);
    expect(byOwner).not.toContain('always-fine');

    const about = JSON.stringify((await sent(await history({ target: ALWAYS_CLEAN }), (b) => b.embeds !== undefined)).body.embeds);
    expect(about).toContain('always-fine[.]xyz');
    expect(about).not.toContain('turns-bad');
    expect(about).toContain(`/${posted.id})`);
  });

  it('pages with Newer / Older buttons', async () => {
    for (let i = 0; i < 12; i += 1) {
      await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'set', options: { setting: 'malicious_threshold', value: String(4 + (i % 2)) } });
    }
    await h.discord.waitFor(() => h.discord.messages(h.discord.channels.log).filter((m) => m.content.includes('malicious_threshold')).length >= 12);
    const first = await sent(await history({ user: h.discord.members.admin.id }), (b) => b.embeds !== undefined);
    expect(first.body.embeds?.[0]?.footer?.text).toMatch(/^Page 1 of 2 · 1[2-9] entries/);
    // The ephemeral page the command answered with (the callback returns no body without with_response).
    const message = h.discord.messages(h.discord.channels.general).filter((m) => m.embeds[0]?.title === 'vt-guard history').at(-1);
    if (message === undefined) throw new Error('Expected the history page as a message');
    const older = buttonId(first.body, 'Older ▶');
    expect(older).toBe(`vth:1:${h.discord.members.admin.id}:`);
    const press = await h.discord.pressButton({ member: h.discord.members.admin, message: message.id, customId: older });
    const turned = await sent(press, (b) => b.embeds !== undefined);
    expect(turned.body.embeds?.[0]?.footer?.text).toMatch(/^Page 2 of 2/);
    const denied = await h.discord.pressButton({ member: h.discord.members.member, message: message.id, customId: older });
    expect((await sent(denied, (b) => b.content !== undefined)).body.content).toContain('Manage Server');
  });
});
