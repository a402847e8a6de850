/**
 * Command localizations: filled centrally from the locale files, complete for every locale, within
 * Discord's rules (the Discord double enforces them at registration), and registered once.
 */
import { ApplicationCommandType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';
import { localizeCommands, type LocalizableOption } from '../../src/core/command-localizations.js';
import { LOCALES } from '../../src/core/i18n.js';
import { sameCommands } from '../../src/discord/register.js';
import { commandLocalizationProblems } from '../support/discord-double/validate.js';
import { startCommandHarness, type CommandHarness } from '../support/command-harness.js';

const definitions = COMMANDS.map((c) => c.data);
const localized = localizeCommands(definitions);
const TRANSLATED = LOCALES.filter((l) => l !== 'en');

/** Every command, subcommand and option with its path, e.g. `vt hash hash`. */
function nodes(option: LocalizableOption, path: string[] = []): { path: string; node: LocalizableOption }[] {
  const here = [...path, option.name];
  return [{ path: here.join(' '), node: option }, ...(option.options ?? []).flatMap((o) => nodes(o, here))];
}

describe('localizeCommands', () => {
  it.each(TRANSLATED)('gives every command, subcommand and option a name and description in %s', (locale) => {
    for (const command of localized) {
      const chat = (command.type ?? 1) === 1;
      for (const { path, node } of nodes(command)) {
        // Top-level slash command names (`vt`, `vt-config`) are the bot's brand and stay as they are.
        if (path !== command.name) expect(node.name_localizations?.[locale], `${locale} ${path}`).toBeTruthy();
        if (chat) expect(node.description_localizations?.[locale], `${locale} ${path}`).toBeTruthy();
      }
      if (!chat) expect(command.name_localizations?.[locale], `${locale} ${command.name}`).toBeTruthy();
    }
  });

  it('leaves the English definitions untouched (English stays the default)', () => {
    for (const [i, command] of localized.entries()) {
      expect(command.name).toBe(definitions[i]?.name);
      expect(nodes(command).map((n) => n.path)).toEqual(nodes(definitions[i] as LocalizableOption).map((n) => n.path));
    }
    expect(JSON.stringify(definitions)).not.toContain('_localizations');
  });

  it('passes Discord\'s localization rules in every locale', () => {
    for (const command of localized) expect(commandLocalizationProblems(command as Parameters<typeof commandLocalizationProblems>[0]), command.name).toEqual([]);
  });
});

describe('the Discord double\'s localization rules', () => {
  const base = { type: 1, name: 'vt', description: 'Check', options: [
    { type: 3, name: 'url', description: 'A link', name_localizations: { de: 'link' } },
    { type: 3, name: 'hash', description: 'A hash', name_localizations: { de: 'hash' } },
  ] };
  it.each([
    ['an upper-case name', { name_localizations: { de: 'Prüfen' } }, 'APPLICATION_COMMAND_INVALID_NAME'],
    ['a name with a space', { name_localizations: { fr: 'vérifier lien' } }, 'APPLICATION_COMMAND_INVALID_NAME'],
    ['a name over 32 characters', { name_localizations: { ru: 'п'.repeat(33) } }, 'APPLICATION_COMMAND_INVALID_NAME'],
    ['a description over 100 characters', { description_localizations: { ja: 'あ'.repeat(101) } }, 'BASE_TYPE_BAD_LENGTH'],
    ['an unknown locale', { name_localizations: { 'de-DE': 'prüfen' } }, 'LOCALE_INVALID'],
  ])('refuses %s', (_what, extra, code) => {
    expect(commandLocalizationProblems({ ...base, ...extra }).map(([, c]) => c)).toContain(code);
  });

  it('refuses two options with the same name in one locale, and accepts the well-formed command', () => {
    const clash = { ...base, options: base.options.map((o) => ({ ...o, name_localizations: { de: 'wert' } })) };
    expect(commandLocalizationProblems(clash).map(([, c]) => c)).toContain('APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS');
    expect(commandLocalizationProblems(base)).toEqual([]);
    expect(commandLocalizationProblems({ type: 3, name: 'Mit VirusTotal prüfen', name_localizations: { de: 'Mit VirusTotal prüfen' } })).toEqual([]);
  });
});

describe('registration', () => {
  let h: CommandHarness;
  beforeAll(async () => { h = await startCommandHarness(); });
  afterAll(async () => h.close());

  it('registers the localized commands, which the double accepts, and does not re-register them on restart', async () => {
    const vt = h.discord.registeredCommands.find((c) => c.name === 'vt');
    expect(vt?.description_localizations?.fr).toBe('Vérifier un lien, un domaine, une adresse IP, un hash ou un fichier avec VirusTotal');
    const file = vt?.options?.find((o) => o.name === 'file');
    expect(file?.name_localizations?.de).toBe('datei');
    expect(h.discord.registeredCommands.find((c) => c.type === ApplicationCommandType.Message)?.name_localizations?.['zh-CN']).toBe('用 VirusTotal 扫描');
    const puts = (): number => h.discord.calls.filter((c) => c.method === 'PUT' && /\/commands$/.test(c.path)).length;
    expect(puts()).toBe(1);
    await h.restart();
    await h.discord.waitFor((c) => c.method === 'GET' && /\/commands$/.test(c.path) && c.query.with_localizations === 'true');
    expect(puts()).toBe(1);
  });

  it('re-registers when a translation changes', () => {
    const echoed = localized.map((c) => structuredClone(c));
    expect(sameCommands(echoed, localized)).toBe(true);
    const vt = echoed.find((c) => c.name === 'vt');
    if (vt?.description_localizations) vt.description_localizations.de = 'etwas anderes';
    expect(sameCommands(echoed, localized)).toBe(false);
    expect(sameCommands(definitions, localized)).toBe(false);
  });
});
