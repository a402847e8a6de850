/**
 * Members read the bot in their own language, through the real bot and the Discord double: replies
 * to an interaction follow the member's `locale`; what the bot posts on its own follows the server's
 * `language` setting, else its Discord `preferred_locale`; a locale without a file gets English.
 */
import { MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EICAR, SEED } from '../support/vt-double.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { messageOf, type MessageBody } from '../support/command-harness.js';
import type { InteractionHandle } from '../support/discord-double.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => h.close());
beforeEach(async () => {
  h.discord.setPreferredLocale('en-US');
  await h.set('language', null);
  await h.set('action', 'reply');
  await h.set('log_channel', null);
});

async function sent(handle: InteractionHandle, match: (b: MessageBody) => boolean): Promise<MessageBody> {
  const call = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && match(messageOf(c.body)), 8000);
  return messageOf(call.body);
}

const labels = (b: MessageBody): string[] => b.components?.[0]?.components.map((c) => c.label ?? '') ?? [];
const eicar = { filename: 'eicar.com', bytes: Buffer.from(EICAR) };

async function guildLocaleSeen(locale: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((h.app.client?.guilds.cache.get(h.discord.guild.id)?.preferredLocale as string | undefined) !== locale) {
    if (Date.now() > deadline) throw new Error(`Expected the bot to see preferred_locale ${locale}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('replies to interactions use the member\'s locale', () => {
  it('answers a French member\'s /vt hash in French, engine count and link unchanged', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 }, locale: 'fr' });
    const body = await sent(handle, (b) => b.embeds?.[0]?.title === 'Fichier · malveillant');
    const embed = body.embeds?.[0];
    expect(embed?.description).toContain('**59/69 moteurs** le disent malveillant');
    expect(embed?.fields?.map((f) => f.name)).toEqual(expect.arrayContaining(['Signalé par', 'Dernière analyse', 'Communauté VirusTotal']));
    expect(labels(body)).toEqual(['Voter malveillant', 'Voter inoffensif', 'Détails', 'Réanalyser', 'Ouvrir dans VirusTotal']);
    // The permalink and VirusTotal's own engine labels are shown as VirusTotal gives them.
    expect(body.components?.[0]?.components.at(-1)?.url).toMatch(/^https:\/\/www\.virustotal\.com\//);
    expect(JSON.stringify(embed?.fields)).toContain('EICAR');

    // Asked again, the answer comes from the cache in one reply: in French too.
    const again = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 }, locale: 'fr' });
    const cached = await sent(again, (b) => b.embeds !== undefined);
    expect(h.discord.callsFor(again).map((c) => c.method)).toEqual(['POST']);
    expect(cached.embeds?.[0]?.title).toBe('Fichier · malveillant');
    expect(labels(cached)).toEqual(['Voter malveillant', 'Voter inoffensif', 'Détails', 'Réanalyser', 'Ouvrir dans VirusTotal']);
  });

  it('refuses a bad hash in French, ephemerally, without asking VirusTotal', async () => {
    const before = h.vt.requests.length;
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: 'abc123' }, locale: 'fr' });
    const body = await sent(handle, (b) => b.content !== undefined);
    expect(body.content).toMatch(/^Ce n'est pas un hash md5, sha1 ou sha256 .*reçu : 6 caractères/);
    expect(body.flags).toBe(MessageFlags.Ephemeral);
    expect(h.vt.requests.length).toBe(before);
  });

  it('answers a German member pressing Details in German', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
    const call = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c) && messageOf(c.body).embeds?.[0]?.title === 'File · malicious', 8000);
    const details = messageOf(call.body).components?.[0]?.components.find((c) => c.label === 'Details')?.custom_id ?? 'missing';
    const message = h.discord.messages(h.discord.channels.general).find((m) => m.embeds[0]?.title === 'File · malicious' && m.interaction_metadata !== undefined);
    if (message === undefined) throw new Error('Expected the public /vt hash answer');
    const press = await h.discord.pressButton({ member: h.discord.members.member, message, customId: details, locale: 'de' });
    const body = await sent(press, (b) => b.embeds?.[0]?.title?.startsWith('Details · ') === true);
    expect(body.embeds?.[0]?.title).toBe('Details · Datei · schädlich');
    expect(body.embeds?.[0]?.fields?.map((f) => f.name)).toContain('Neueste VirusTotal-Kommentare');
  });

  it('shows /vt-config in the admin\'s language, setting descriptions and refusals included', async () => {
    const show = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'show', locale: 'de' });
    const shown = await sent(show, (b) => b.embeds !== undefined);
    expect(shown.embeds?.[0]?.title).toBe('vt-guard-Einstellungen');
    expect(shown.embeds?.[0]?.description).toMatch(/`upload_files` \*\*ask\*\* — Dateien, die VirusTotal nicht kennt/);
    const allow = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'allow', options: { domain: '1.2.3.4' }, locale: 'ja' });
    const refused = await sent(allow, (b) => b.content !== undefined);
    expect(refused.content).toContain('これは IP アドレスです。');
    const set = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'set', options: { setting: 'language', value: 'klingon' }, locale: 'uk' });
    expect((await sent(set, (b) => b.content !== undefined)).content).toMatch(/^language приймає auto або один із кодів en, de, es-ES/);
  });

  it('tells a Russian member in Russian which attachments the context menu skipped, with plurals', async () => {
    const attachments = [
      { filename: 'big.bin', bytes: Buffer.alloc(2 * 1024 * 1024, 1) },
      ...Array.from({ length: 14 }, (_, i) => ({ filename: `${'отчёт-квартал-'.repeat(8)}${i}.pdf`, bytes: Buffer.from(`file ${i}`), host: 'cdn.evil.example' })),
    ];
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `см. ${SEED.eicar.sha256}`, attachments });
    const handle = await h.discord.runContextMenu({ member: h.discord.members.member, targetMessage: posted, locale: 'ru' });
    const body = await sent(handle, (b) => (b.embeds?.length ?? 0) > 0 && b.content !== undefined && b.content !== '');
    expect(body.embeds?.[0]?.title).toBe('Файл · вредоносный');
    expect(body.content).toContain(`Не проверено: big\\[.\\]bin: файл больше предела в ${new Intl.NumberFormat('ru', { style: 'unit', unit: 'megabyte', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(1)}`);
    expect(body.content).toContain('вложение находится не на разрешённом узле CDN');
    expect(body.content).toMatch(/…и ещё \d+ примечани(е не показано|я не показаны|й не показаны)\.$/);
    expect(body.content?.length).toBeLessThanOrEqual(2000);
  });

  it.each(['sv-SE', 'xx-YY'])('falls back to English for a locale without a file (%s)', async (locale) => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: 'abc' }, locale });
    const body = await sent(handle, (b) => b.content !== undefined);
    expect(body.content).toMatch(/^That is not an md5, sha1 or sha256 hash \(32, 40 or 64 hex characters; got 3 characters\)/);
  });
});

describe('what the bot posts on its own uses the server\'s language', () => {
  it('answers a German server\'s auto-scan in German (its preferred_locale)', async () => {
    h.discord.setPreferredLocale('de');
    await guildLocaleSeen('de');
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'hier', attachments: [eicar] });
    await h.settled(posted);
    const [reply] = h.repliesTo(posted.id);
    expect(reply?.embeds[0]?.title).toBe('Datei · schädlich');
    expect(reply?.embeds[0]?.description).toContain('**59/69 Engines** melden schädlich');
    expect(reply?.embeds[0]?.fields?.map((f) => f.name)).toContain('Moderatorenstimmen');
    expect(JSON.stringify(reply?.components)).toContain('"label":"Als schädlich werten"');
  });

  it('follows the language setting over preferred_locale, in the answer and in the log channel', async () => {
    h.discord.setPreferredLocale('de');
    await guildLocaleSeen('de');
    await h.set('language', 'pl');
    await h.set('log_channel', h.discord.channels.log);
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'plik', attachments: [eicar] });
    await h.settled(posted);
    expect(h.repliesTo(posted.id)[0]?.embeds[0]?.title).toBe('Plik · złośliwy');
    const logged = h.discord.messages(h.discord.channels.log).find((m) => m.content.includes(posted.id));
    expect(logged?.content).toMatch(new RegExp(`^Zgłoszono od <@${h.discord.members.member.id}> na <#${h.discord.channels.general}> \\(https://discord\\.com/channels/`));
    // The log channel's review card carries the verdict card in the server's language.
    expect(logged?.embeds.map((e) => e.title)).toContain('Plik · złośliwy');
  });

  it('keeps answering in English in an English server', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: 'here', attachments: [eicar] });
    await h.settled(posted);
    expect(h.repliesTo(posted.id)[0]?.embeds[0]?.title).toBe('File · malicious');
  });
});
