/**
 * Every text a member reads, in their language: i18next over one JSON file per locale in
 * `locales/` (at the repository root, beside `src/` and `dist/`, so the same relative path works
 * from the sources and the build). English is the source text and the fallback of every key.
 * How to add a language: CONTRIBUTING.md, "Add a language".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createInstance, type TFunction } from 'i18next';

/** The locales the bot speaks, as Discord names them (`en` stands for en-US and en-GB). */
export const LOCALES = ['en', 'de', 'es-ES', 'fr', 'it', 'ja', 'ko', 'nl', 'pl', 'pt-BR', 'ru', 'tr', 'uk', 'zh-CN'] as const;
export type LocaleCode = (typeof LOCALES)[number];

/** Discord locales we have no file for, sent to the closest one we have. */
const CLOSEST: Readonly<Record<string, LocaleCode>> = Object.freeze({ 'es-419': 'es-ES', 'en-US': 'en', 'en-GB': 'en' });

const LOCALE_DIR = new URL('../../locales/', import.meta.url);

type Resource = Record<string, unknown>;

function loadResources(): Record<string, Resource> {
  const resources: Record<string, Resource> = {};
  const files = new Set(readdirSync(LOCALE_DIR));
  for (const locale of LOCALES) {
    if (!files.has(`${locale}.json`)) continue;
    const parsed: unknown = JSON.parse(readFileSync(new URL(`${locale}.json`, LOCALE_DIR), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`Expected an object in locales/${locale}.json`);
    resources[locale] = parsed as Resource;
  }
  if (resources.en === undefined) throw new Error('Expected locales/en.json, the source texts, got none');
  return resources;
}

/** The parsed locale files by locale (read once, at start): tests compare them key by key. */
export const RESOURCES: Readonly<Record<string, Resource>> = Object.freeze(loadResources());

const i18n = createInstance();
// Synchronous: the resources are in memory, so `t` is ready when this module is.
void i18n.init({
  resources: Object.fromEntries(Object.entries(RESOURCES).map(([lng, translation]) => [lng, { translation }])),
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  load: 'currentOnly',
  initAsync: false,
  // Discord renders markdown, not HTML: escaping would show `&amp;` to members.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The locale to speak for a Discord locale (`interaction.locale`, a guild's `preferred_locale`): English when we have no file for it. */
export function resolveLocale(locale: string | null | undefined): LocaleCode {
  if (locale === null || locale === undefined) return 'en';
  const exact = LOCALES.find((l) => l.toLowerCase() === locale.toLowerCase());
  if (exact !== undefined) return exact;
  const closest = CLOSEST[locale];
  if (closest !== undefined) return closest;
  // `pt-PT` → `pt-BR`, `de-AT` → `de`; a Chinese other than zh-CN stays English rather than guess a script.
  const language = locale.split('-')[0]?.toLowerCase();
  return language === 'zh' ? 'en' : LOCALES.find((l) => l.split('-')[0]?.toLowerCase() === language) ?? 'en';
}

/** A translator bound to `locale`: `tr('card.lastAnalysed')`, `tr('notes.more', { count: 3 })`. */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

const fixed = new Map<LocaleCode, TFunction>();

/** The translator for a Discord locale; unknown locales and missing keys give English. */
export function translator(locale: string | null | undefined): Translate {
  const code = resolveLocale(locale);
  let bound = fixed.get(code);
  if (bound === undefined) {
    bound = i18n.getFixedT(code);
    fixed.set(code, bound);
  }
  const t = bound;
  return (key, vars) => t(key, { ...vars, lng: code });
}

/** One text in `locale`: `t('fr', 'errors.generic', { refId })`. */
export function t(locale: string | null | undefined, key: string, vars?: Record<string, unknown>): string {
  return translator(locale)(key, vars);
}

/** The language a guild's own posts use: its `language` setting, else its Discord `preferred_locale`. */
export function guildLocale(language: string | null | undefined, preferredLocale: string | null | undefined): LocaleCode {
  return resolveLocale(language ?? preferredLocale);
}
