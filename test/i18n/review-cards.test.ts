/**
 * Review cards in two languages at once, through the real bot and the Discord double: the card, its
 * log lines, the audit-log reason and the DM before a ban speak the server's language (here German,
 * its preferred_locale); the ephemeral answer to whoever presses a button speaks theirs (here French).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/autoscan-harness.js';
import type { InteractionHandle } from '../support/discord-double.js';
import type { CardAction } from '../../src/discord/custom-id.js';
import { encodeCard } from '../../src/discord/custom-id.js';
import { cardFor, cardText, current, startModeratingHarness, told } from '../review/review-support.js';
import type { APIMessage } from 'discord.js';

const FLAGGED_URL = 'https://evil-i18n.xyz/drop.exe';
const GERMAN_TITLE = 'Prüfung · gemeldete Nachricht';
let h: Harness;

beforeAll(async () => {
  h = await startModeratingHarness();
  h.vt.addUrl(FLAGGED_URL, { verdict: { malicious: 12, harmless: 40, undetected: 17, label: 'malware' } });
});
afterAll(async () => h.close());
beforeEach(async () => {
  h.discord.setPreferredLocale('de');
  const deadline = Date.now() + 5000;
  while ((h.app.client?.guilds.cache.get(h.discord.guild.id)?.preferredLocale as string | undefined) !== 'de') {
    if (Date.now() > deadline) throw new Error('Expected the bot to see preferred_locale de');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await h.set('action', 'reply');
  await h.set('log_channel', h.discord.channels.log);
  await h.set('quorum', 1);
});

/** A press by `member` whose Discord client is in French. */
function pressInFrench(member: Parameters<Harness['discord']['pressButton']>[0]['member'], card: APIMessage, action: CardAction): Promise<InteractionHandle> {
  return h.discord.pressButton({ member, message: card.id, customId: encodeCard(action), locale: 'fr' });
}

async function flaggedCard(author = h.discord.members.member): Promise<APIMessage> {
  const posted = await h.discord.postMessage({ author, content: `hier ${FLAGGED_URL}` });
  await h.settled(posted);
  return cardFor(h, posted.id, GERMAN_TITLE);
}

describe('a German server\'s review card, pressed by French moderators', () => {
  it('shows the card, its fields and its buttons in German', async () => {
    const card = await flaggedCard();
    const text = cardText(card);
    expect(text).toMatch(new RegExp(`^\\*\\*Gepostet von\\*\\* <@${h.discord.members.member.id}> in <#\\d+> · \\[zur Nachricht springen\\]`));
    expect(text).toMatch(/Gemeldet: URL `hxxps:\/\/evil-i18n\[\.\]xyz[^`]*` · 12 bösartig, \d+ verdächtig/);
    expect(text).toContain('Text (Links entschärft): ');
    expect(card.embeds[0]?.footer?.text).toMatch(/^Die Schaltflächen wirken auf die gemeldete Nachricht/);
    const labels = JSON.stringify(card.components).match(/"label":"[^"]+"/g)?.map((l) => l.slice(9, -1));
    expect(labels).toEqual(['Nachricht löschen', 'Timeout', 'Kicken', 'Bannen', 'Zulassen', 'Fehlalarm', 'Erneut prüfen', 'Als bösartig bewerten', 'Als harmlos bewerten']);
  });

  it('refuses a French presser in French, ephemerally, and does nothing', async () => {
    const card = await flaggedCard();
    // The admin has Manage Messages but not Kick Members; the plain member has neither.
    expect(await told(h, await pressInFrench(h.discord.members.admin, card, 'kick')))
      .toBe('Il vous faut la permission Expulser des membres pour cela ; rien n’a été fait.');
    expect(await told(h, await pressInFrench(h.discord.members.member, card, 'rescan')))
      .toBe('Il vous faut la permission Gérer les messages pour réanalyser ; rien n’a été fait.');
    const adminCard = await flaggedCard(h.discord.members.admin);
    expect(await told(h, await pressInFrench(h.discord.members.moderator, adminCard, 'kick')))
      .toBe('Son rôle le plus élevé n’est pas sous le vôtre ; rien n’a été fait.');
    expect(h.discord.isMember(h.discord.members.admin.id)).toBe(true);
    expect(cardText(current(h, card))).not.toContain('Aktionen');
  });

  it('answers a French moderator in French while the card, the audit log and the DM stay German', async () => {
    await h.set('appeal_text', 'appeals@example.com');
    const card = await flaggedCard();
    const deleted = await pressInFrench(h.discord.members.moderator, card, 'delete');
    expect(await told(h, deleted)).toBe('Message supprimé ; la carte garde ses preuves.');
    const del = await h.discord.waitFor((c) => c.method === 'DELETE' && c.path.includes('/messages/') && c.headers['x-audit-log-reason'] !== undefined && decodeURIComponent(c.headers['x-audit-log-reason']).includes(card.id));
    expect(decodeURIComponent(del.headers['x-audit-log-reason'] ?? ''))
      .toBe(`vt-guard: Nachricht gelöscht durch ${h.discord.members.moderator.username} (${h.discord.members.moderator.id}), Prüfkarte ${card.id}`);
    expect(cardText(current(h, card))).toMatch(new RegExp(`Aktionen: <t:\\d+:R> <@${h.discord.members.moderator.id}>: hat die Nachricht gelöscht`));
    expect(cardText(current(h, card))).toContain('Die Nachricht wurde gelöscht; die Belege unten zeigen, was sie enthielt.');

    const banned = await pressInFrench(h.discord.members.moderator, card, 'ban');
    expect(await told(h, banned)).toBe('Auteur banni ; il a été prévenu par MP.');
    const dm = h.discord.dms.at(-1);
    expect(dm?.userId).toBe(h.discord.members.member.id);
    expect(dm?.message.content).toBe(`Du wurdest von **${h.discord.guild.name}** gebannt.\nGrund: Eine Nachricht von dir wurde von VirusTotal als bösartig eingestuft, und die Moderatoren des Servers haben gehandelt.\nEinspruch einlegen: appeals@example.com`);
    expect(cardText(current(h, card))).toContain('hat den Autor gebannt; seine Nachrichten der letzten Stunde wurden gelöscht');
  });
});
