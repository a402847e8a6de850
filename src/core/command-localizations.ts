/**
 * Command names, descriptions, options and choices in every locale, filled in centrally from the
 * `commands` section of each locale file, so a command's own definition stays plain English and a
 * new command gets its translations by adding them to locales/<locale>.json, not by editing code.
 * The section mirrors the command JSON:
 *
 *   "commands": { "vt": { "name": "vt", "description": "…", "options": {
 *     "hash": { "name": "hash", "description": "…", "options": { "hash": { "name": "hash", "description": "…" } } } } } }
 *
 * Choices are translated by their value: `"choices": { "reply": "antworten" }`.
 */
import { RESOURCES } from './i18n.js';

/** Discord's localization map: locale → text. */
export type Localizations = Partial<Record<string, string | null>>;

/** The parts of Discord's command JSON this reads and fills. */
export interface LocalizableChoice {
  name: string;
  value: string | number;
  name_localizations?: Localizations | null | undefined;
}
export interface LocalizableOption {
  name: string;
  description?: string | undefined;
  options?: readonly LocalizableOption[] | undefined;
  choices?: readonly LocalizableChoice[] | undefined;
  name_localizations?: Localizations | null | undefined;
  description_localizations?: Localizations | null | undefined;
}
export interface LocalizableCommand extends LocalizableOption {
  type?: number | undefined;
}

interface Entry {
  name?: unknown;
  description?: unknown;
  options?: unknown;
  choices?: unknown;
}

const CHAT_INPUT = 1;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

/** The non-English locales with a `commands` section. */
function commandSections(): [string, Record<string, unknown>][] {
  return Object.entries(RESOURCES)
    .filter(([locale]) => locale !== 'en')
    .flatMap(([locale, resource]) => {
      const section = record(resource.commands);
      return section === undefined ? [] : [[locale, section] as [string, Record<string, unknown>]];
    });
}

function withLocalized<T extends LocalizableOption>(option: T, entries: readonly [string, Entry | undefined][], describe: boolean): T {
  const names: Record<string, string> = {};
  const descriptions: Record<string, string> = {};
  for (const [locale, entry] of entries) {
    if (typeof entry?.name === 'string' && entry.name !== '') names[locale] = entry.name;
    if (describe && typeof entry?.description === 'string' && entry.description !== '') descriptions[locale] = entry.description;
  }
  const out: T = { ...option };
  if (Object.keys(names).length > 0) out.name_localizations = names;
  if (Object.keys(descriptions).length > 0) out.description_localizations = descriptions;
  if (option.options !== undefined) {
    out.options = option.options.map((child) =>
      withLocalized(child, entries.map(([locale, entry]) => [locale, record(record(entry?.options)?.[child.name]) as Entry | undefined]), true));
  }
  if (option.choices !== undefined) {
    out.choices = option.choices.map((choice) => {
      const localized: Record<string, string> = {};
      for (const [locale, entry] of entries) {
        const name = record(entry?.choices)?.[String(choice.value)];
        if (typeof name === 'string' && name !== '') localized[locale] = name;
      }
      return Object.keys(localized).length > 0 ? { ...choice, name_localizations: localized } : { ...choice };
    });
  }
  return out;
}

/**
 * Copies of `commands` carrying `name_localizations` / `description_localizations` for every locale
 * that translates them (commands, subcommands, options; choices by value). English stays the
 * default; what a locale file leaves out simply shows in English. Context menus get names only.
 */
export function localizeCommands<T extends LocalizableCommand>(commands: readonly T[]): T[] {
  const sections = commandSections();
  return commands.map((command) => {
    const entries = sections.map(([locale, section]) => [locale, record(section[command.name]) as Entry | undefined] as [string, Entry | undefined]);
    return withLocalized(command, entries, (command.type ?? CHAT_INPUT) === CHAT_INPUT);
  });
}
