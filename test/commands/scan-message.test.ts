/** The "Scan with VirusTotal" context menu, the item picker, and failures shown through the presenter. */
import { ComponentType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../support/vt-double.js';
import { embedText, expectNoPings, responseMessage, startCommandHarness, type CommandHarness } from '../support/command-harness.js';

let h: CommandHarness;
beforeAll(async () => {
  h = await startCommandHarness();
  // The auto-scan answers are not what these tests look at.
  await h.app.ctx.store.settings.set(h.discord.guild.id, 'autoscan_links', false);
  await h.app.ctx.store.settings.set(h.discord.guild.id, 'autoscan_attachments', false);
});
afterAll(async () => {
  expectNoPings(h);
  await h.close();
});

describe('Scan with VirusTotal', () => {
  it('scans the text, the masked link and the attachment of a message in one reply, with a picker', async () => {
    h.vt.addUrl('http://evil-payload.xyz/x.exe', { verdict: { malicious: 12, undetected: 50 } });
    h.vt.addUrl('https://evil-payload.xyz/login', { verdict: { malicious: 8, undetected: 50 } });
    const posted = await h.discord.postMessage({
      author: h.discord.members.member,
      content: `look http://evil-payload.xyz/x.exe and [https://paypal.com](https://evil-payload.xyz/login) ${SEED.eicar.md5} @everyone`,
      attachments: [{ filename: 'eicar.com', bytes: Buffer.from(SEED.eicar.content) }],
    });
    const handle = await h.discord.runContextMenu({ member: h.discord.members.member, targetMessage: posted });
    const call = await h.sent(handle, (b) => (b.embeds?.length ?? 0) >= 2 && !/checking|Checking/.test(embedText(b)), 12_000);
    const text = embedText(call.body);
    expect(text).toContain('hxxp://evil-payload[.]xyz/x.exe');
    expect(text).toContain('The link text shows `hxxps://paypal[.]com`');
    expect(text).not.toContain('@everyone');
    expect(call.body.embeds?.length).toBeLessThanOrEqual(10);
    const picker = call.body.components?.[0]?.components[0];
    expect(picker?.type).toBe(ComponentType.StringSelect);

    const options = (picker as unknown as { options: { value: string }[] }).options;
    const urlOption = options.find((o) => o.value.startsWith('url:'));
    const pick = await h.discord.pressButton({
      member: h.discord.members.moderator, message: responseMessage(call).id, customId: picker?.custom_id ?? '',
      componentType: ComponentType.StringSelect, values: [urlOption?.value ?? ''],
    });
    const picked = await h.sent(pick, (b) => b.embeds?.[0]?.title?.startsWith('Details') === true);
    expect((responseMessage(picked).flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(picked.body.components?.[0]?.components.map((c) => c.label)).toContain('Vote malicious');
  });

  it('says so, ephemerally, when there is nothing to scan', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'just chatting, see youtube.com' });
    const handle = await h.discord.runContextMenu({ member: h.discord.members.member, targetMessage: posted });
    const { body } = await h.sent(handle, (b) => b.content !== undefined);
    expect(body.flags).toBe(MessageFlags.Ephemeral);
    expect(body.content).toContain('Nothing to check');
  });
});

describe('failures', () => {
  it('tells users the key was refused when VirusTotal says so, without leaking its message', async () => {
    const hash = 'a'.repeat(64);
    h.vt.fault({ path: new RegExp(`/files/${hash}`) }, { status: 401, body: { error: { code: 'WrongCredentialsError', message: 'Wrong API key test-api-key' } } });
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash } });
    const { body } = await h.sent(handle, (b) => /refused|not checked/i.test(embedText(b) + (b.content ?? '')));
    const shown = embedText(body) + (body.content ?? '');
    expect(shown).toContain('tell the server admin');
    expect(shown).not.toContain('test-api-key');
  });

  it('rescans a URL found again from the message it sits under', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'url', options: { url: SEED.maliciousUrl } });
    const call = await h.sent(handle, (b) => b.embeds?.[0]?.title === 'URL · malicious');
    const rescanId = call.body.components?.[0]?.components.find((c) => c.label === 'Rescan')?.custom_id ?? '';
    expect(rescanId).toMatch(/^vt:rs:url:[0-9a-f]{64}$/);
    const press = await h.discord.pressButton({ member: h.discord.members.moderator, message: responseMessage(call).id, customId: rescanId });
    const edit = await h.discord.waitFor((c) => h.discord.callsFor(press).includes(c) && c.method === 'PATCH');
    expect(JSON.stringify(edit.body)).toContain('URL · malicious');
  });
});
