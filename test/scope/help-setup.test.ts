/** /vt help and /vt-config setup at the wire. */
import { MessageFlags, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { messageOf, type MessageBody } from '../support/command-harness.js';
import type { InteractionHandle } from '../support/discord-double.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

async function sent(handle: InteractionHandle): Promise<MessageBody> {
  const call = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && (messageOf(c.body).embeds?.length ?? 0) > 0, 8000);
  return messageOf(call.body);
}
const text = (b: MessageBody): string => JSON.stringify(b.embeds);
const setup = () => h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'setup' });

describe('/vt help', () => {
  it('tells any member, ephemerally, what the bot does here, what goes to VirusTotal and how to appeal', async () => {
    await h.set('action', 'delete');
    await h.set('upload_files', 'off');
    const body = await sent(await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'help' }));
    expect(body.flags).toBe(MessageFlags.Ephemeral);
    const shown = text(body);
    expect(shown).toContain('deletes the message and reports it to the moderators');
    expect(shown).toContain('never uploaded by auto-scan');
    expect(shown).toContain('How to appeal');
    expect(shown).toContain('kept for 30 days');
    await h.set('action', 'reply');
  });
});

describe('/vt-config setup', () => {
  it('lists exactly what to fix: a channel missing a permission, no log channel, the role position', async () => {
    h.discord.denyBot(h.discord.channels.links, P.EmbedLinks);
    await new Promise((r) => setTimeout(r, 100)); // the overwrite reaches the bot as CHANNEL_UPDATE
    const before = h.vt.requests.length;
    const handle = await setup();
    const shown = text(await sent(handle));
    const deferred = h.discord.callsFor(handle).find((c) => (c.body as { type?: number }).type === 5);
    expect((deferred?.body as { data?: { flags?: number } }).data?.flags).toBe(MessageFlags.Ephemeral);
    expect(shown).toContain('**To fix**');
    expect(shown).not.toContain(`<#${h.discord.channels.general}>: `);
    expect(shown).toContain('/vt-config set log_channel #mod-log');
    expect(shown).toContain(`Grant the vt-guard role, per channel: <#${h.discord.channels.links}>: Embed Links`);
    expect(shown).toContain('grant Timeout Members, Kick Members, Ban Members if moderators should act from review cards');
    expect(shown).toContain('✅ **VirusTotal key**: works; quota');
    expect(shown).toContain('✅ **Message Content intent**');
    expect(h.vt.requests.length).toBe(before + 1); // one cheap request
  });

  it('says the key is refused when VirusTotal answers 401', async () => {
    h.vt.fault({ path: /\/domains\/example\.com/ }, { status: 401, body: { error: { code: 'WrongCredentialsError', message: 'Wrong API key' } } });
    const shown = text(await sent(await setup()));
    expect(shown).toContain('❌ **VirusTotal key**: VirusTotal refused the key');
    expect(shown).not.toContain(h.vt.apiKey);
  });
});
