/**
 * Scan outcomes → Discord embeds and buttons. Pure: the same input always gives the same payload,
 * so commands, buttons and the auto-scan listeners share one look, and tests read it directly.
 *
 * Several indicators in one reply: up to 10 embeds (Discord's limit), most severe first; past that,
 * the last embed summarises the rest. Buttons: one indicator gets its own row (votes, details, rescan,
 * VirusTotal link); several get ONE select menu ("pick an item") whose choice opens that item's own
 * buttons ephemerally, because 5 rows of 5 buttons cannot say which embed each belongs to.
 */
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { Indicator, ScanOutcome } from '../../scan/outcome.js';
import { verdictOf, enginesWithVerdict, type ObjectKind, type Verdict } from '../../vt/report.js';
import { urlSha256 } from '../../vt/ids.js';
import { codeSpan, clampEmbed, defangUrl } from './defang.js';
import { KIND_LABEL, discordTime, factFields, historyFields, targetLine, tellingEngines } from './card-facts.js';
import { userMessageFor } from '../present-error.js';
import { TALLY_FIELD, tallyText, type ModeratorTally } from './tally.js';

export { buildReply, buttonsFor, type ReplyOptions, type ReplyPayload } from './result-message.js';
export { progressEmbed, scanningEmbed } from './progress.js';
export { TALLY_FIELD, tallyText, withTally, type ModeratorTally } from './tally.js';

export const COLOURS = Object.freeze({
  malicious: 0xed4245, suspicious: 0xf0a020, clean: 0x57f287, unknown: 0x99aab5, problem: 0xfee75c, progress: 0x5865f2,
});

export interface EmbedOptions {
  /** The guild's `malicious_threshold`. */
  threshold: number;
  tally?: ModeratorTally | undefined;
  /** Text of the masked link (`[text](url)`) the URL came from, when it had one. */
  maskedText?: string | undefined;
}

/** The embed title's second half; also what sorts replies. */
export type OutcomeWord = Verdict | 'quota' | 'error';
const ORDER: Readonly<Record<OutcomeWord, number>> = Object.freeze({ malicious: 0, suspicious: 1, unknown: 2, error: 3, quota: 4, clean: 5 });

export function outcomeWord(outcome: ScanOutcome, threshold: number): OutcomeWord {
  return outcome.status === 'found' ? verdictOf(outcome.report.stats, threshold) : outcome.status;
}

export function severityRank(word: OutcomeWord): number { // most severe first
  return ORDER[word];
}

/** The key votes are stored under; also a select option's value. */
export function objectKey(kind: ObjectKind, id: string): string {
  return `${kind}:${id}`;
}

/** The VirusTotal object an outcome is about (what votes, details and rescan act on), or null. */
export function outcomeTarget(outcome: ScanOutcome): { kind: ObjectKind; id: string } | null {
  if (outcome.status === 'found') return { kind: outcome.report.kind, id: outcome.report.id };
  return indicatorTarget(outcome.indicator);
}

export function indicatorTarget(indicator: Indicator): { kind: ObjectKind; id: string } | null {
  switch (indicator.kind) {
    case 'url':
      try { return { kind: 'url', id: urlSha256(indicator.value) }; } catch { return null; }
    case 'domain': return { kind: 'domain', id: indicator.value.toLowerCase() };
    case 'ip': return { kind: 'ip', id: indicator.value };
    case 'hash': return { kind: 'file', id: indicator.value.toLowerCase() };
    case 'file': return { kind: 'file', id: indicator.file.sha256 };
  }
}

function notesFor(outcome: ScanOutcome & { status: 'found' }, options: EmbedOptions): string[] {
  const notes: string[] = [];
  if (outcome.lookedUpAs !== undefined && outcome.indicator.kind === 'url') {
    notes.push('This link looks private (a token, reset, invite or share link), so only its domain was looked up: VirusTotal shows its community what is queried.');
  }
  if (outcome.via === 'submitted') {
    notes.push(outcome.indicator.kind === 'file'
      ? '**This file was uploaded: it is now shared with VirusTotal** and visible to its customers.'
      : 'VirusTotal had not seen this before; it was submitted for analysis.');
  }
  if (options.maskedText !== undefined && outcome.indicator.kind === 'url' && options.maskedText.trim() !== outcome.indicator.value) {
    notes.push(`⚠️ The link text shows ${codeSpan(defangUrl(options.maskedText), 300)} but the link goes elsewhere.`);
  }
  return notes;
}

function foundEmbed(outcome: ScanOutcome & { status: 'found' }, options: EmbedOptions): APIEmbed {
  const { report } = outcome;
  const verdict = verdictOf(report.stats, options.threshold);
  const counted = `**${report.stats.malicious}/${enginesWithVerdict(report.stats)} engines** say malicious`;
  const suspicious = report.stats.suspicious > 0 ? ` · ${report.stats.suspicious} suspicious` : '';
  const lead = verdict === 'unknown' ? 'VirusTotal has no verdicts for this yet. That does not mean it is safe.' : counted + suspicious;
  const engines = tellingEngines(report.engines);
  const fields: APIEmbedField[] = [
    ...(engines.length > 0 ? [{ name: 'Flagged by', value: engines.join('\n'), inline: false }] : []),
    ...factFields(report.facts),
    ...historyFields(report),
    ...(options.tally === undefined ? [] : [{ name: TALLY_FIELD, value: tallyText(options.tally), inline: true }]),
  ];
  return clampEmbed({
    title: `${KIND_LABEL[report.kind]} · ${verdict}`,
    color: COLOURS[verdict],
    description: [lead, targetLine(outcome.indicator, outcome.lookedUpAs !== undefined), ...notesFor(outcome, options)].join('\n'),
    fields,
  });
}

/** Why an unknown object was not sent for analysis, by what it is. */
const NOT_SENT: Readonly<Record<Indicator['kind'], string>> = Object.freeze({
  url: 'It was not submitted for analysis: this server\'s `submit_urls` setting is off.',
  file: 'It was not uploaded: this server\'s `upload_files` setting is off. `/vt file` uploads it on request.',
  hash: 'Only its hash is known here, so there is nothing to upload; `/vt file` with the file itself uploads it.',
  domain: 'There is nothing to submit for a domain; try again later.',
  ip: 'There is nothing to submit for an IP address; try again later.',
});

function otherEmbed(outcome: Exclude<ScanOutcome, { status: 'found' }>): APIEmbed {
  const title = `${KIND_LABEL[outcome.indicator.kind]} · `;
  const target = targetLine(outcome.indicator, false);
  switch (outcome.status) {
    case 'unknown':
      return clampEmbed({
        title: `${title}unknown`, color: COLOURS.unknown,
        description: ['**VirusTotal has not seen this.** That does not mean it is safe.', target, outcome.reason === 'analysis-pending'
          ? 'VirusTotal is still analysing it; a moderator can press Rescan in a minute.'
          : NOT_SENT[outcome.indicator.kind]].join('\n'),
      });
    case 'quota': {
      const when = discordTime(outcome.resetAt, 'f');
      return clampEmbed({
        title: `${title}not checked`, color: COLOURS.problem,
        description: [`The bot's VirusTotal quota is used up${when === null ? '' : ` until ${when}`}. Nothing was sent; try again then.`, target].join('\n'),
      });
    }
    case 'error':
      return clampEmbed({
        title: `${title}not checked`, color: COLOURS.problem,
        description: [userMessageFor(outcome.error) ?? 'VirusTotal did not answer properly. Try again in a few minutes.', target].join('\n'),
      });
  }
}

/** One outcome's embed: verdict colour and word, engine count, defanged target, facts, votes. */
export function outcomeEmbed(outcome: ScanOutcome, options: EmbedOptions): APIEmbed {
  return outcome.status === 'found' ? foundEmbed(outcome, options) : otherEmbed(outcome);
}
