/**
 * The result message: one or more outcomes → one message payload (cards + components) within
 * Discord's limits. Up to 10 cards, most severe first; past that the last card summarises the rest.
 * Buttons: one outcome gets its own row (votes, details, rescan, VirusTotal link); several get ONE
 * select menu ("pick an item") whose choice opens that item's own buttons ephemerally, because 5 rows
 * of 5 buttons cannot say which card each belongs to.
 */
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { APIActionRowComponent, APIButtonComponent, APIComponentInMessageActionRow, APIEmbed, APISelectMenuOption } from 'discord-api-types/v10';
import { objectKey, type ModeratorTally } from '../../core/objects.js';
import { outcomeTarget, outcomeWord, severityRank, type ScanOutcome } from '../../scan/outcome.js';
import { encode, encodeTarget, type ButtonAction } from '../custom-id.js';
import { clampEmbeds, codeSpan, defang, defangUrl, truncate } from './defang.js';
import { kindLabel, verdictLabel } from './card-facts.js';
import { COLOURS, outcomeEmbed } from './card.js';
import { translator } from '../../core/i18n.js';

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

export interface ResultMessage {
  embeds: APIEmbed[];
  components: ActionRow[];
  /** The object key each embed shows, in order (null for the summary): what the cards store keeps. */
  cards: (string | null)[];
}

export interface ResultMessageOptions {
  /** The guild's `malicious_threshold`. */
  threshold: number;
  /** Moderator tallies by {@link objectKey}. */
  tallies?: ReadonlyMap<string, ModeratorTally> | undefined;
  /** Masked-link texts by URL (`[text](url)` in the scanned message). */
  maskedTexts?: ReadonlyMap<string, string> | undefined;
  /** Discord locale of the reader: the member who asked, or the guild's language; English when absent. */
  locale?: string | undefined;
}

/** `label` is a key of locales/en.json. */
const BUTTONS: readonly { action: ButtonAction; label: string; style: ButtonStyle.Danger | ButtonStyle.Success | ButtonStyle.Secondary }[] = [
  { action: 'vote-malicious', label: 'buttons.voteMalicious', style: ButtonStyle.Danger },
  { action: 'vote-harmless', label: 'buttons.voteHarmless', style: ButtonStyle.Success },
  { action: 'details', label: 'buttons.details', style: ButtonStyle.Secondary },
  { action: 'rescan', label: 'buttons.rescan', style: ButtonStyle.Secondary },
];

/**
 * The button row for one outcome: votes, details, rescan and a link to VirusTotal's page for a
 * report; only Rescan when VirusTotal had nothing to show. Null when there is nothing to press.
 */
export function buttonsFor(outcome: ScanOutcome, locale?: string): ActionRow | null {
  const tr = translator(locale);
  const target = outcomeTarget(outcome);
  const wanted = outcome.status === 'found' ? BUTTONS : outcome.status === 'quota' ? [] : BUTTONS.filter((b) => b.action === 'rescan');
  const buttons: APIButtonComponent[] = [];
  for (const b of wanted) {
    const customId = target === null ? null : encode({ action: b.action, ...target });
    if (customId !== null) buttons.push({ type: ComponentType.Button, style: b.style, label: tr(b.label), custom_id: customId });
  }
  if (outcome.status === 'found' && outcome.report.permalink.startsWith('https://')) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Link, label: tr('buttons.open'), url: outcome.report.permalink });
  }
  return buttons.length === 0 ? null : { type: ComponentType.ActionRow, components: buttons };
}

function plainTarget(outcome: ScanOutcome): string {
  const i = outcome.indicator;
  if (i.kind === 'url') return defangUrl(i.value);
  if (i.kind === 'file') return `${i.file.name} (${i.file.sha256.slice(0, 12)}…)`;
  return defang(i.value);
}

function pickMenu(outcomes: readonly ScanOutcome[], threshold: number, locale: string | undefined): ActionRow | null {
  const seen = new Set<string>();
  const options: APISelectMenuOption[] = [];
  outcomes.forEach((outcome, index) => {
    const target = outcomeTarget(outcome);
    const value = target === null || outcome.status === 'quota' ? null : encodeTarget(target);
    if (value === null || seen.has(value) || options.length >= 25) return;
    seen.add(value);
    options.push({
      label: truncate(`${index + 1}. ${kindLabel(outcome.indicator.kind, locale)} · ${verdictLabel(outcomeWord(outcome, threshold), locale)}`, 100),
      description: truncate(plainTarget(outcome), 100),
      value,
    });
  });
  const customId = encode({ action: 'pick' });
  if (options.length === 0 || customId === null) return null;
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.StringSelect, custom_id: customId, placeholder: translator(locale)('buttons.pick'), options }],
  };
}

function summaryEmbed(rest: readonly ScanOutcome[], threshold: number, locale: string | undefined): APIEmbed {
  const lines = rest.map((o) => `${verdictLabel(outcomeWord(o, threshold), locale)} · ${codeSpan(plainTarget(o), 120)}`);
  return { title: translator(locale)('buttons.more', { count: rest.length }), color: COLOURS.unknown, description: truncate(lines.join('\n'), 3000) };
}

/**
 * The reply for a scan of one or more indicators: most severe first, at most 10 embeds (the 10th
 * summarising the rest when there are more), within the 6000-character total.
 */
export function buildResultMessage(outcomes: readonly ScanOutcome[], options: ResultMessageOptions): ResultMessage {
  const sorted = outcomes
    .map((outcome, i) => ({ outcome, i }))
    .sort((a, b) => severityRank(outcomeWord(a.outcome, options.threshold)) - severityRank(outcomeWord(b.outcome, options.threshold)) || a.i - b.i)
    .map((x) => x.outcome);
  const shown = sorted.length > 10 ? sorted.slice(0, 9) : sorted;
  const embeds = shown.map((outcome) => {
    const target = outcomeTarget(outcome);
    const tally = target === null ? undefined : options.tallies?.get(objectKey(target));
    const maskedText = outcome.indicator.kind === 'url' ? options.maskedTexts?.get(outcome.indicator.value) : undefined;
    return outcomeEmbed(outcome, { threshold: options.threshold, tally, maskedText, locale: options.locale });
  });
  const cards = shown.map((outcome) => {
    const target = outcomeTarget(outcome);
    return target === null ? null : objectKey(target);
  });
  if (sorted.length > 10) {
    embeds.push(summaryEmbed(sorted.slice(9), options.threshold, options.locale));
    cards.push(null);
  }
  const first = sorted[0];
  const row = sorted.length === 1 && first !== undefined ? buttonsFor(first, options.locale) : pickMenu(sorted, options.threshold, options.locale);
  return { embeds: clampEmbeds(embeds), components: row === null ? [] : [row], cards };
}
