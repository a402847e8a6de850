/**
 * The result card: one scan outcome as one Discord embed (verdict colour and word, engine count,
 * defanged target, facts, moderator tally). Pure: the same input always gives the same embed, so
 * commands, buttons and auto-scan share one look, and tests read it directly. How several cards
 * and their buttons make one message is result-message.ts.
 */
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { ModeratorTally } from '../../core/objects.js';
import type { Indicator, ScanOutcome } from '../../scan/outcome.js';
import { verdictOf, enginesWithVerdict } from '../../vt/report.js';
import { codeSpan, clampEmbed, defangUrl } from './defang.js';
import { discordTime, factFields, historyFields, kindLabel, targetLine, tellingEngines, verdictLabel } from './card-facts.js';
import { userMessageFor } from '../present-error.js';
import { LOCALES, translator, type Translate } from '../../core/i18n.js';

export const COLOURS = Object.freeze({
  malicious: 0xed4245, suspicious: 0xf0a020, clean: 0x57f287, unknown: 0x99aab5, problem: 0xfee75c, progress: 0x5865f2,
});

export interface EmbedOptions {
  /** The guild's `malicious_threshold`. */
  threshold: number;
  tally?: ModeratorTally | undefined;
  /** Text of the masked link (`[text](url)`) the URL came from, when it had one. */
  maskedText?: string | undefined;
  /** Discord locale of the reader (the member who asked, or the guild's language); English when absent. */
  locale?: string | undefined;
}

function notesFor(outcome: ScanOutcome & { status: 'found' }, options: EmbedOptions, tr: Translate): string[] {
  const notes: string[] = [];
  if (outcome.lookedUpAs !== undefined && outcome.indicator.kind === 'url') {
    notes.push(tr('card.privateLink'));
  }
  if (outcome.via === 'submitted') {
    notes.push(outcome.indicator.kind === 'file'
      ? tr('card.uploaded')
      : tr('card.submitted'));
  }
  if (options.maskedText !== undefined && outcome.indicator.kind === 'url' && options.maskedText.trim() !== outcome.indicator.value) {
    notes.push(tr('card.maskedLink', { shown: codeSpan(defangUrl(options.maskedText), 300) }));
  }
  return notes;
}

function foundEmbed(outcome: ScanOutcome & { status: 'found' }, options: EmbedOptions): APIEmbed {
  const { report } = outcome;
  const { locale } = options;
  const tr = translator(locale);
  const verdict = verdictOf(report.stats, options.threshold);
  const counted = tr('card.engines', { malicious: report.stats.malicious, total: enginesWithVerdict(report.stats) });
  const suspicious = report.stats.suspicious > 0 ? tr('card.suspicious', { count: report.stats.suspicious }) : '';
  const lead = verdict === 'unknown' ? tr('card.noVerdicts') : counted + suspicious;
  const engines = tellingEngines(report.engines);
  const fields: APIEmbedField[] = [
    ...(engines.length > 0 ? [{ name: tr('card.flaggedBy'), value: engines.join('\n'), inline: false }] : []),
    ...factFields(report.facts, locale),
    ...historyFields(report, locale),
    ...(options.tally === undefined ? [] : [{ name: tallyField(locale), value: tallyText(options.tally, locale), inline: true }]),
  ];
  return clampEmbed({
    title: `${kindLabel(report.kind, locale)} · ${verdictLabel(verdict, locale)}`,
    color: COLOURS[verdict],
    description: [lead, targetLine(outcome.indicator, outcome.lookedUpAs !== undefined, locale), ...notesFor(outcome, options, tr)].join('\n'),
    fields,
  });
}

/** Why an unknown object was not sent for analysis, by what it is (keys `notSent.<kind>`). */
function notSent(kind: Indicator['kind'], tr: Translate): string {
  return tr(`notSent.${kind}`);
}

function otherEmbed(outcome: Exclude<ScanOutcome, { status: 'found' }>, locale: string | undefined): APIEmbed {
  const tr = translator(locale);
  const title = `${kindLabel(outcome.indicator.kind, locale)} · `;
  const target = targetLine(outcome.indicator, false, locale);
  switch (outcome.status) {
    case 'unknown':
      return clampEmbed({
        title: `${title}${verdictLabel('unknown', locale)}`, color: COLOURS.unknown,
        description: [tr('card.notSeen'), target, outcome.reason === 'analysis-pending'
          ? tr('card.stillAnalysing')
          : notSent(outcome.indicator.kind, tr)].join('\n'),
      });
    case 'quota': {
      const when = discordTime(outcome.resetAt, 'f');
      return clampEmbed({
        title: `${title}${verdictLabel('not checked', locale)}`, color: COLOURS.problem,
        description: [outcome.reserved === true
          ? (when === null ? tr('card.reserved') : tr('card.reservedUntil', { when }))
          : (when === null ? tr('card.quota') : tr('card.quotaUntil', { when })), target].join('\n'),
      });
    }
    case 'error':
      return clampEmbed({
        title: `${title}${verdictLabel('not checked', locale)}`, color: COLOURS.problem,
        description: [userMessageFor(outcome.error, locale) ?? tr('card.badAnswer'), target].join('\n'),
      });
  }
}

/** One outcome's embed: verdict colour and word, engine count, defanged target, facts, votes. */
export function outcomeEmbed(outcome: ScanOutcome, options: EmbedOptions): APIEmbed {
  return outcome.status === 'found' ? foundEmbed(outcome, options) : otherEmbed(outcome, options.locale);
}

/** "Moderator votes: 2 malicious · 0 harmless" — also rewritten in place when a vote changes it. */
export const TALLY_FIELD = 'Moderator votes';
/** The tally field's name in `locale`: a vote finds the field by it, in whichever language the card speaks. */
export function tallyField(locale?: string): string {
  return translator(locale)('card.tallyField');
}
export function tallyText(tally: ModeratorTally, locale?: string): string {
  return translator(locale)('card.tally', { malicious: tally.malicious, harmless: tally.harmless });
}

/**
 * A copy of `embed` whose moderator tally reads `tally` (field added when absent). The card keeps
 * the language it was written in: the tally field's name tells which, whoever votes.
 */
export function withTally(embed: APIEmbed, tally: ModeratorTally, locale?: string): APIEmbed {
  const byName = new Map(LOCALES.map((l) => [tallyField(l), l] as const));
  const spoken = (embed.fields ?? []).map((f) => byName.get(f.name)).find((l) => l !== undefined) ?? locale;
  const fields = (embed.fields ?? []).filter((f) => !byName.has(f.name));
  return { ...embed, fields: [...fields, { name: tallyField(spoken), value: tallyText(tally, spoken), inline: true }] };
}
