/**
 * A vote from a multi-item reply's picker: the ephemeral view and the public reply both show the new
 * tally, on the voted card only — for a context-menu reply (an interaction response) and for an
 * auto-scan reply (a channel message).
 */
import { ComponentType, MessageFlags, type APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseMessage, startCommandHarness, type CommandHarness } from '../support/command-harness.js';
import { SEED } from '../support/vt-double.js';
import { eventually } from '../support/wait.js';

let h: CommandHarness;
const EVIL = 'http://evil-picker.xyz/x.exe';
beforeAll(async () => {
  h = await startCommandHarness();
  h.vt.addUrl(EVIL, { verdict: { malicious: 12, undetected: 50 } });
});
afterAll(async () => h.close());

type Row = { components: { type: ComponentType; custom_id?: string; label?: string; options?: { value: string }[] }[] };
const picker = (m: APIMessage): Row['components'][number] | undefined =>
  (m.components?.[0] as Row | undefined)?.components.find((c) => c.type === ComponentType.StringSelect);
/** Each embed's title and moderator tally, as the message shows them now. */
const tallies = (id: string): string[] => (h.discord.message(id)?.message.embeds ?? [])
  .map((e) => `${e.title ?? ''}: ${e.fields?.find((f) => f.name === 'Moderator votes')?.value ?? '-'}`);

/** Picks EICAR on `publicMessage`'s menu, votes malicious in the ephemeral view, and returns that view's id. */
async function voteThroughPicker(publicMessage: APIMessage): Promise<string> {
  const menu = picker(publicMessage);
  const value = menu?.options?.find((o) => o.value.includes(SEED.eicar.sha256))?.value ?? 'missing';
  const pick = await h.discord.pressButton({
    member: h.discord.members.moderator, message: publicMessage.id, customId: menu?.custom_id ?? 'missing',
    componentType: ComponentType.StringSelect, values: [value],
  });
  const view = await h.sent(pick, (b) => (b.components?.[0]?.components.length ?? 0) > 0);
  const viewMessage = responseMessage(view);
  expect((viewMessage.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  const voteId = view.body.components?.[0]?.components.find((c) => c.label === 'Vote malicious')?.custom_id ?? 'missing';
  const press = await h.discord.pressButton({ member: h.discord.members.moderator, message: viewMessage.id, customId: voteId });
  await h.sent(press, (b) => b.content?.includes('Recorded your') === true);
  return viewMessage.id;
}

describe('a vote from the picker of a multi-item reply', () => {
  it('updates the voted card on the public context-menu reply, and no other card', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `${SEED.eicar.sha256} and ${EVIL}` });
    const handle = await h.discord.runContextMenu({ member: h.discord.members.member, targetMessage: posted });
    const shown = await h.sent(handle, (b) => (b.embeds?.length ?? 0) === 2 && b.components !== undefined);
    const publicMessage = responseMessage(shown);
    expect(picker(publicMessage)).toBeDefined();
    expect(tallies(publicMessage.id).sort()).toEqual(['File · malicious: 0 malicious · 0 harmless', 'URL · malicious: 0 malicious · 0 harmless']);

    await voteThroughPicker(publicMessage);
    await eventually(() => (tallies(publicMessage.id).includes('File · malicious: 1 malicious · 0 harmless') ? true : undefined));
    expect(tallies(publicMessage.id).sort()).toEqual(['File · malicious: 1 malicious · 0 harmless', 'URL · malicious: 0 malicious · 0 harmless']);
  });

  it('updates the voted card on a public auto-scan reply too', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `again: ${EVIL} ${SEED.eicar.sha256}` });
    const reply = await eventually(() => h.discord.messages(h.discord.channels.general)
      .find((m) => m.author.id === h.discord.botUser.id && m.message_reference?.message_id === posted.id && m.interaction_metadata === undefined));
    const before = tallies(reply.id);
    const eicarAt = before.findIndex((t) => t.startsWith('File'));
    expect(before[eicarAt]).toBe('File · malicious: 1 malicious · 0 harmless'); // the moderator's vote above, this server

    // The moderator changes nothing by voting malicious again; the admin's vote counts.
    const menu = picker(reply);
    const value = menu?.options?.find((o) => o.value.includes(SEED.eicar.sha256))?.value ?? 'missing';
    const pick = await h.discord.pressButton({ member: h.discord.members.admin, message: reply.id, customId: menu?.custom_id ?? 'missing', componentType: ComponentType.StringSelect, values: [value] });
    const view = await h.sent(pick, (b) => (b.components?.[0]?.components.length ?? 0) > 0);
    const voteId = view.body.components?.[0]?.components.find((c) => c.label === 'Vote malicious')?.custom_id ?? 'missing';
    const press = await h.discord.pressButton({ member: h.discord.members.admin, message: responseMessage(view).id, customId: voteId });
    await h.sent(press, (b) => b.content?.includes('Recorded your') === true);
    await eventually(() => (tallies(reply.id)[eicarAt]?.endsWith('2 malicious · 0 harmless') === true ? true : undefined));
    expect(tallies(reply.id).filter((t) => !t.startsWith('File'))).toEqual(before.filter((t) => !t.startsWith('File')));
  });

  it('shows both of two moderators voting at once from their own views', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `third: ${SEED.eicar.md5} ${EVIL}` });
    const handle = await h.discord.runContextMenu({ member: h.discord.members.member, targetMessage: posted });
    const publicMessage = responseMessage(await h.sent(handle, (b) => (b.embeds?.length ?? 0) === 2 && b.components !== undefined));
    const menu = picker(publicMessage);
    const value = menu?.options?.find((o) => o.value.startsWith('url:'))?.value ?? 'missing';
    const views = await Promise.all([h.discord.members.moderator, h.discord.members.owner].map(async (member) => {
      const pick = await h.discord.pressButton({ member, message: publicMessage.id, customId: menu?.custom_id ?? 'missing', componentType: ComponentType.StringSelect, values: [value] });
      const view = await h.sent(pick, (b) => (b.components?.[0]?.components.length ?? 0) > 0);
      return { member, view };
    }));
    const presses = await Promise.all(views.map(({ member, view }) => h.discord.pressButton({
      member, message: responseMessage(view).id, customId: view.body.components?.[0]?.components.find((c) => c.label === 'Vote harmless')?.custom_id ?? 'missing',
    })));
    await Promise.all(presses.map((press) => h.sent(press, (b) => b.content?.includes('Recorded your') === true)));
    await eventually(() => (tallies(publicMessage.id).includes('URL · malicious: 0 malicious · 2 harmless') ? true : undefined));
  });
});
