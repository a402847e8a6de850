/** The translator itself: locale resolution, fallback to English, plural forms, Intl formatting. */
import { describe, expect, it } from 'vitest';
import { guildLocale, resolveLocale, t } from '../../src/core/i18n.js';
import { humanSize } from '../../src/discord/render/card-facts.js';
import { quotaText } from '../../src/commands/vt-quota.js';

describe('resolveLocale', () => {
  it.each([
    ['fr', 'fr'], ['pt-BR', 'pt-BR'], ['es-ES', 'es-ES'], ['es-419', 'es-ES'], ['en-GB', 'en'], ['en-US', 'en'], ['de-AT', 'de'],
    ['zh-CN', 'zh-CN'], ['zh-TW', 'en'], ['sv-SE', 'en'], ['', 'en'], [null, 'en'], [undefined, 'en'],
  ] as const)('%s → %s', (locale, expected) => {
    expect(resolveLocale(locale)).toBe(expected);
  });

  it('lets the server\'s language setting win over its Discord preferred locale', () => {
    expect(guildLocale('pl', 'de')).toBe('pl');
    expect(guildLocale(null, 'de')).toBe('de');
    expect(guildLocale(null, null)).toBe('en');
  });
});

describe('t', () => {
  it('falls back to English for an unknown locale and for a key a locale lacks', () => {
    expect(t('xx', 'buttons.rescan')).toBe('Rescan');
    expect(t('de', 'buttons.rescan')).toBe('Neu prüfen');
  });

  it.each([
    [1, '…и ещё 1 примечание не показано.'], [3, '…и ещё 3 примечания не показаны.'], [5, '…и ещё 5 примечаний не показаны.'],
    [21, '…и ещё 21 примечание не показано.'], [1.5, '…и ещё 1.5 примечания не показаны.'],
  ])('picks the Russian plural form for %s', (count, text) => {
    expect(t('ru', 'notes.more', { count })).toBe(text);
  });

  it('keeps English plurals as they were', () => {
    expect(t('en', 'notes.more', { count: 1 })).toBe('…and 1 more note not shown.');
    expect(t('en', 'notes.more', { count: 2 })).toBe('…and 2 more notes not shown.');
    expect(t('ja', 'notes.more', { count: 2 })).toBe('…ほか 2 件の注記は省略しました。');
  });

  it('does not escape what Discord renders as markdown', () => {
    expect(t('fr', 'card.maskedLink', { shown: '`a & <b>`' })).toBe('⚠️ Le texte du lien affiche `a & <b>` mais le lien mène ailleurs.');
  });
});

describe('numbers and sizes through Intl', () => {
  it('formats sizes for the reader, English unchanged', () => {
    expect(humanSize(1_288_490)).toBe('1.2 MB');
    expect(humanSize(68)).toBe('68 B');
    expect(humanSize(1_288_490, 'de')).toBe('1,2 MB');
    expect(humanSize(1_288_490, 'fr')).toBe(new Intl.NumberFormat('fr', { style: 'unit', unit: 'megabyte', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(1.2));
  });

  it('formats quota counts with the locale\'s grouping', () => {
    const w = { used: 1234, limit: 50_000, resetAt: new Date(0) };
    const text = quotaText({ minute: w, day: w, month: w, queued: 2 }, 'de');
    expect(text.split('\n')[0]).toBe('**Diese Minute**: 1.234/50.000 verbraucht · frei <t:0:R>');
    expect(text.split('\n')[3]).toBe('**Wartend**: 2 Anfragen in der Warteschlange');
    expect(quotaText({ minute: w, day: w, month: w, queued: 1 }).split('\n')[0]).toBe('**This minute**: 1234/50000 used · frees <t:0:R>');
  });
});
