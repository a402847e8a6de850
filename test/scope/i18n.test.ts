/** Scope, help, history and settings-change texts at the wire in the member's or the server's language. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { messageOf, type MessageBody } from '../support/command-harness.js';
import type { InteractionHandle } from '../support/discord-double.js';
import { eventually } from '../review/review-support.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => h.close());

async function sent(handle: InteractionHandle, match: (b: MessageBody) => boolean) {
  const call = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && match(messageOf(c.body)), 8000);
  return messageOf(call.body);
}

describe('scope texts in other languages', () => {
  it('answers /vt help in the member\'s language, settings filled in', async () => {
    await h.set('action', 'delete');
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'help', locale: 'de' });
    const body = await sent(handle, (b) => b.embeds !== undefined);
    expect(body.embeds?.[0]?.title).toBe('vt-guard auf diesem Server');
    expect(body.embeds?.[0]?.fields?.map((f) => f.name)).toEqual(['Was er tut', 'Was an VirusTotal gesendet wird', 'Wie man widerspricht', 'Aufbewahrung']);
    expect(body.embeds?.[0]?.fields?.[0]?.value).toContain('löscht die Nachricht und meldet sie den Moderatoren');
    expect(body.embeds?.[0]?.fields?.[3]?.value).toContain('30 Tage');
    await h.set('action', 'reply');
  });

  it('answers /vt-config ignore in Japanese, and posts the change to the log channel in the server\'s language', async () => {
    await h.set('log_channel', h.discord.channels.log);
    await h.set('language', 'fr');
    const handle = await h.discord.runCommand({
      member: h.discord.members.admin, name: 'vt-config', subcommand: 'ignore', options: { channel: h.discord.channels.links }, locale: 'ja',
    });
    const reply = await sent(handle, (b) => b.content !== undefined);
    expect(reply.content).toBe(`<#${h.discord.channels.links}> は自動スキャンされなくなりました（コマンドは引き続き使えます）。`);
    const line = await eventually(() => h.discord.messages(h.discord.channels.log).find((m) => m.content.includes('salons ignorés')));
    expect(line.content).toBe(`⚙️ <@${h.discord.members.admin.id}> a modifié **salons ignorés** : aucun → <#${h.discord.channels.links}>`);
    await h.set('language', null);
  });

  it('pages /vt-config history in the moderator\'s language', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'history', locale: 'es-ES' });
    const body = await sent(handle, (b) => b.embeds !== undefined);
    expect(body.embeds?.[0]?.title).toBe('Historial de vt-guard');
    expect(body.embeds?.[0]?.description).toContain('⚙️ ajuste');
    expect(body.embeds?.[0]?.footer?.text).toMatch(/^Página 1 de 1 · entradas: \d+ · se conservan 30 días/);
  });
});
