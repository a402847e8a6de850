/**
 * The parts of a result embed that depend on the object's kind, and the small formatters they share
 * (sizes, timestamps, engine labels). Pure; every value that came from outside is escaped or defanged.
 */
import type { APIEmbedField } from 'discord-api-types/v10';
import type { Indicator } from '../../scan/outcome.js';
import type { ObjectKind } from '../../core/objects.js';
import type { EngineResult, Facts, Report } from '../../vt/report.js';
import { codeSpan, defang, defangUrl, safeText } from './defang.js';
import { resolveLocale, translator, type Translate } from '../../core/i18n.js';

export const KIND_LABEL: Readonly<Record<ObjectKind | 'hash', string>> = Object.freeze({
  file: 'File', url: 'URL', domain: 'Domain', ip: 'IP address', hash: 'File',
});

/** The kind's name in `locale` (English `KIND_LABEL` when absent). */
export function kindLabel(kind: ObjectKind | 'hash', locale?: string): string {
  return translator(locale)(`kind.${kind}`);
}

/** A verdict word (`malicious`, `not checked`, …) in `locale`; the same word in every card of one language. */
export function verdictLabel(word: string, locale?: string): string {
  return translator(locale)(`verdict.${word}`, { defaultValue: word });
}

const INTL_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** `1.2 MB`, `68 B`: binary multiples, one decimal above a kilobyte; other locales through `Intl` (`1,2 Mo`). */
export function humanSize(bytes: number, locale?: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return translator(locale)('size.unknown');
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const code = resolveLocale(locale);
  if (code !== 'en') {
    return new Intl.NumberFormat(code, { style: 'unit', unit: INTL_UNITS[unit] ?? 'byte', unitDisplay: 'short', maximumFractionDigits: unit === 0 ? 0 : 1, minimumFractionDigits: unit === 0 ? 0 : 1 }).format(unit === 0 ? bytes : value);
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit] ?? 'B'}`;
}

/** A Discord timestamp (`<t:unix:R>`: "3 hours ago" in each reader's own locale), or null. */
export function discordTime(iso: string | Date | null | undefined, style: 'R' | 'f' = 'R'): string | null {
  if (iso === null || iso === undefined) return null;
  const ms = iso instanceof Date ? iso.getTime() : Date.parse(iso);
  return Number.isNaN(ms) ? null : `<t:${Math.floor(ms / 1000)}:${style}>`;
}

const SEVERITY: Readonly<Record<string, number>> = Object.freeze({ malicious: 0, suspicious: 1 });

/** The engines that flagged it, malicious first, as `**Engine**: label` lines (the top `limit`). */
export function tellingEngines(engines: readonly EngineResult[], limit = 5): string[] {
  return engines
    .filter((e) => e.category === 'malicious' || e.category === 'suspicious')
    .sort((a, b) => (SEVERITY[a.category] ?? 2) - (SEVERITY[b.category] ?? 2) || a.engine.localeCompare(b.engine))
    .slice(0, limit)
    .map((e) => `**${safeText(e.engine, 60)}**: ${safeText(e.result ?? e.category, 80)}`);
}

/** The target as posted, defanged; a looked-up-by-domain URL shows only its origin. */
export function targetLine(indicator: Indicator, domainOnly: boolean, locale?: string): string {
  switch (indicator.kind) {
    case 'url': {
      if (!domainOnly) return codeSpan(defangUrl(indicator.value), 600);
      const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(indicator.value)?.[0] ?? indicator.value;
      return translator(locale)('card.restHidden', { target: codeSpan(defangUrl(origin), 300) });
    }
    case 'domain':
    case 'ip':
      return codeSpan(defang(indicator.value), 300);
    case 'hash':
      return codeSpan(indicator.value, 70);
    case 'file':
      return `${safeText(indicator.file.name, 200)} · ${codeSpan(indicator.file.sha256, 70)}`;
  }
}

function field(name: string, value: string | undefined | null, inline = true): APIEmbedField[] {
  return value === undefined || value === null || value === '' ? [] : [{ name, value, inline }];
}

function optional(value: string | undefined, show: (v: string) => string): string | undefined {
  return value === undefined || value === '' ? undefined : show(value);
}

function listOf(values: readonly string[], max = 6): string | undefined {
  const unique = [...new Set(values)].slice(0, max);
  return unique.length === 0 ? undefined : unique.map((v) => safeText(v, 60)).join(', ');
}

/** The facts that matter for the object's kind (file name/size/type; categories; IP owner/country). */
export function factFields(facts: Facts, locale?: string): APIEmbedField[] {
  const tr = translator(locale);
  switch (facts.kind) {
    case 'file':
      return [
        ...field(tr('facts.name'), optional(facts.name ?? facts.names[0], (n) => safeText(n, 200))),
        ...field(tr('facts.size'), facts.size === undefined ? undefined : humanSize(facts.size, locale)),
        ...field(tr('facts.type'), facts.type === undefined ? undefined : safeText(facts.type, 100)),
        ...field(tr('facts.threatLabel'), facts.threatLabel === undefined ? undefined : safeText(facts.threatLabel, 100)),
      ];
    case 'url':
      return [
        ...field(tr('facts.categories'), listOf(facts.categories)),
        ...field(tr('facts.pageTitle'), facts.title === undefined ? undefined : safeText(facts.title, 200)),
        ...field(tr('facts.endsAt'), facts.finalUrl === undefined || facts.finalUrl === facts.url ? undefined : codeSpan(defangUrl(facts.finalUrl), 500), false),
      ];
    case 'domain':
      return [
        ...field(tr('facts.categories'), listOf(facts.categories)),
        ...field(tr('facts.registrar'), facts.registrar === undefined ? undefined : safeText(facts.registrar, 100)),
        ...field(tr('facts.registered'), discordTime(facts.created, 'f')),
      ];
    case 'ip':
      return [
        ...field(tr('facts.owner'), facts.owner === undefined ? undefined : safeText(facts.owner, 100)),
        ...field(tr('facts.asn'), facts.asn === undefined ? undefined : `AS${facts.asn}`),
        ...field(tr('facts.country'), facts.country === undefined ? undefined : safeText(facts.country, 60)),
        ...field(tr('facts.network'), facts.network === undefined ? undefined : codeSpan(facts.network, 60)),
      ];
  }
}

/**
 * What the verdict rests on when it is not the object's own engine results (v2 domains and IPs:
 * the URLs on them that engines flagged), so "12/70 engines" is not read as the host's own count.
 */
function basisText(report: Report, tr: Translate): string | undefined {
  const basis = report.basis;
  if (basis === undefined) return undefined;
  const host = tr(report.kind === 'ip' ? 'facts.hostIp' : 'facts.hostDomain');
  if (basis.worst === null || basis.urls === 0) return tr('facts.basisNone', { host });
  return tr('facts.basisUrls', { count: basis.urls, host, positives: basis.worst.positives, total: basis.worst.total });
}

/** What the verdict is based on (when not the object's own engines), last analysis, community votes. */
export function historyFields(report: Report, locale?: string): APIEmbedField[] {
  const tr = translator(locale);
  return [
    ...field(tr('facts.basedOn'), basisText(report, tr), false),
    ...field(tr('facts.lastAnalysed'), discordTime(report.lastAnalysisAt) ?? tr('facts.never')),
    ...field(tr('facts.community'), tr('facts.communityVotes', { malicious: report.votes.malicious, harmless: report.votes.harmless })),
  ];
}
