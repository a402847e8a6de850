/**
 * The locale files (locales/<locale>.json) against the English source: the same keys, the same
 * placeholders, the plural forms each language needs, Discord markdown intact, and text that fits.
 */
import { describe, expect, it } from 'vitest';
import { LOCALES, RESOURCES } from '../../src/core/i18n.js';
import { SETTINGS } from '../../src/store/setting-values.js';

type Tree = { [key: string]: string | Tree };

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (prefix === '' && key === 'commands') continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** `{{count}}`, `{{limit, number}}` → the variable names. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1] ?? '').sort();
}

/** Base key → its texts (one, or one per plural form). */
function grouped(flat: Map<string, string>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [key, text] of flat) {
    const base = key.replace(PLURAL, '');
    const form = PLURAL.exec(key)?.[1] ?? '';
    const forms = out.get(base) ?? new Map<string, string>();
    forms.set(form, text);
    out.set(base, forms);
  }
  return out;
}

const english = grouped(flatten(RESOURCES.en as Tree));
const count = (text: string, token: string): number => text.split(token).length - 1;

describe.each(LOCALES.filter((l) => l !== 'en'))('locales/%s.json', (locale) => {
  const resource = RESOURCES[locale] as Tree | undefined;
  const mine = grouped(flatten(resource ?? {}));
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;

  it('exists and has every English key, and no other', () => {
    expect(resource).toBeDefined();
    expect([...mine.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('keeps every placeholder of the English text, and adds none', () => {
    for (const [key, forms] of english) {
      const wanted = [...new Set([...forms.values()].flatMap(placeholders))].sort();
      for (const [form, text] of mine.get(key) ?? []) {
        const got = [...new Set(placeholders(text))].sort();
        // A plural form may leave out {{count}} (Polish "jeden", Japanese counters), never anything else.
        expect(got.filter((p) => p !== 'count'), `${locale} ${key}${form === '' ? '' : `_${form}`}`).toEqual(wanted.filter((p) => p !== 'count'));
      }
    }
  });

  it('has exactly the plural forms the language needs for each plural key', () => {
    for (const [key, forms] of english) {
      const plural = forms.has('other');
      const got = [...(mine.get(key)?.keys() ?? [])].sort();
      expect(got, `${locale} ${key}`).toEqual(plural ? [...categories].sort() : ['']);
    }
  });

  it('keeps Discord markdown: bold, code spans and line structure as in English', () => {
    for (const [key, forms] of english) {
      const en = forms.get('other') ?? forms.get('') ?? '';
      for (const [form, text] of mine.get(key) ?? []) {
        const where = `${locale} ${key}${form === '' ? '' : `_${form}`}`;
        expect(count(text, '**'), where).toBe(count(en, '**'));
        expect(count(text, '`'), where).toBe(count(en, '`'));
        expect(count(text, '\n'), where).toBe(count(en, '\n'));
        expect(text.trim().length, where).toBeGreaterThan(0);
      }
    }
  });

  it('fits Discord: button labels within 80 characters, the picker placeholder within 150, field names within 256', () => {
    const buttons = (resource?.buttons ?? {}) as Record<string, string>;
    for (const key of ['voteMalicious', 'voteHarmless', 'details', 'rescan', 'open']) expect(buttons[key]?.length ?? 0).toBeLessThanOrEqual(80);
    expect(buttons.pick?.length ?? 0).toBeLessThanOrEqual(150);
    for (const [key, text] of flatten(resource ?? {})) expect(text.length, key).toBeLessThanOrEqual(1000);
  });
});

describe('locales/en.json', () => {
  it('describes every setting exactly as SETTINGS does, so /vt-config show reads the same in English', () => {
    const settings = (RESOURCES.en as Tree).settings as Record<string, string>;
    for (const meta of Object.values(SETTINGS)) expect(settings[meta.name]).toBe(meta.description);
    expect(Object.keys(settings).sort()).toEqual(Object.keys(SETTINGS).sort());
  });

  it('has the plural forms English needs and nothing translated in a commands section (the definitions are the English)', () => {
    expect((RESOURCES.en as Tree).commands).toBeUndefined();
    for (const [key, forms] of english) if (forms.size > 1) expect([...forms.keys()].sort(), key).toEqual(['one', 'other']);
  });
});
