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
import { KIND_LABEL, discordTime, factFields, historyFields, targetLine, tellingEngines } from './card-facts.js';
import { userMessageFor } from '../present-error.js';

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
  file: 'It was not uploaded: this server\'s `upload_files` setting is off or `ask` (then a card in the log channel offers the upload). `/vt file` uploads it on request.',
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
        description: [outcome.reserved === true
          ? `The rest of today's VirusTotal quota is kept for auto-scan (this server's \`autoscan_reserve\`), so commands can check only what the bot already knows${when === null ? '' : ` until ${when}`}. Nothing was sent.`
          : `The bot's VirusTotal quota is used up${when === null ? '' : ` until ${when}`}. Nothing was sent; try again then.`, target].join('\n'),
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

/** "Moderator votes: 2 malicious · 0 harmless" — also rewritten in place when a vote changes it. */
export const TALLY_FIELD = 'Moderator votes';
export function tallyText(tally: ModeratorTally): string {
  return `${tally.malicious} malicious · ${tally.harmless} harmless`;
}

/** A copy of `embed` whose moderator tally reads `tally` (field added when absent). */
export function withTally(embed: APIEmbed, tally: ModeratorTally): APIEmbed {
  const fields = (embed.fields ?? []).filter((f) => f.name !== TALLY_FIELD);
  return { ...embed, fields: [...fields, { name: TALLY_FIELD, value: tallyText(tally), inline: true }] };
}
