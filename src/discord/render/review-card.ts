/**
 * How review and consent cards look (README.md "Review cards"). Pure: a stored card (src/store/reviews.ts)
 * plus the guild's quorum and the vote tally in, a message body out; every edit renders the whole
 * card again from the store, never from the card's rendered text. Nobody asked for a card, so it
 * speaks the server's language (`locale`: its `language` setting, else Discord's preferred locale).
 */
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { APIButtonComponent, APIEmbed } from 'discord-api-types/v10';
import type { ModeratorTally } from '../../core/objects.js';
import type { ConsentCard, ReviewCard } from '../../store/reviews.js';
import { encodeCard, type CardAction } from '../custom-id.js';
import { translator, type Translate } from '../../core/i18n.js';
import { humanSize } from './card-facts.js';
import { COLOURS, tallyText } from './card.js';
import { clampEmbeds, codeSpan, safeText, truncate } from './defang.js';
import type { ActionRow } from './result-message.js';

/** What a card shows besides the stored card. */
export interface ReviewView {
  quorum: number;
  tally: ModeratorTally | null;
  /** The server's language (src/core/i18n.ts `guildLocale`); English when absent. */
  locale?: string;
}

export interface CardBody {
  content: string;
  embeds: APIEmbed[];
  components: ActionRow[];
}

const SHOWN_ACTIONS = 10;

/** The jump link to a message. */
export function jumpLink(guildId: string, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

/** `**Posted by** @author in #channel · [jump to the message](…)`, the line both cards start with. */
function postedBy(tr: Translate, card: { authorId: string | null; guildId: string; channelId: string; messageId: string }): string {
  const where = `<#${card.channelId}> · [${tr('review.card.jump')}](${jumpLink(card.guildId, card.channelId, card.messageId)})`;
  return tr('review.card.postedBy', { author: card.authorId === null ? tr('review.card.unknownAuthor') : `<@${card.authorId}>`, where });
}

export function renderReviewCard(card: ReviewCard, view: ReviewView): CardBody {
  const tr = translator(view.locale);
  const lines = [postedBy(tr, card), ...(card.done.includes('deleted') ? [tr('review.card.deletedNote')] : [])];
  const fields = [
    { name: tr('review.card.flagged'), value: truncate(card.targets.map((t) => `${t.label}`).join('\n') || tr('review.card.nothingFlagged'), 1024), inline: false },
    ...evidenceFields(card, tr),
    ...(view.tally === null ? [] : [{ name: tr('review.card.votes'), value: tallyText(view.tally, view.locale), inline: true }]),
    ...quorumFields(card, view.quorum, tr),
    ...(card.actions.length === 0 ? [] : [{ name: tr('review.card.actions'), value: truncate(actionLines(card).join('\n'), 1024), inline: false }]),
  ];
  const review: APIEmbed = {
    title: tr(card.done.includes('false-positive') ? 'review.card.titleFalsePositive' : 'review.card.title'),
    color: card.done.includes('false-positive') ? COLOURS.clean : COLOURS.malicious,
    description: lines.join('\n'),
    fields,
    footer: { text: tr('review.card.footer') },
  };
  const results = (card.results as APIEmbed[]).slice(0, 9);
  return { content: card.header, embeds: clampEmbeds([review, ...results]), components: reviewButtons(card, tr) };
}

function evidenceFields(card: ReviewCard, tr: Translate): APIEmbed['fields'] & object {
  const files = card.evidence.files.map((f) => `${safeText(f.name, 100)} · ${codeSpan(f.sha256, 70)}`);
  return [
    ...(card.evidence.excerpt === '' ? [] : [{ name: tr('review.card.text'), value: codeSpan(card.evidence.excerpt, 1000), inline: false }]),
    ...(files.length === 0 ? [] : [{ name: tr('review.card.attachments'), value: truncate(files.join('\n'), 1024), inline: false }]),
  ];
}

/** `Ban: 1 of 2 — @mod`, for a Kick or Ban waiting for more moderators. */
function quorumFields(card: ReviewCard, quorum: number, tr: Translate): NonNullable<APIEmbed['fields']> {
  const pending = (['kick', 'ban'] as const).filter((a) => card.presses[a].length > 0 && !card.done.includes(a === 'kick' ? 'kicked' : 'banned'));
  if (pending.length === 0 || quorum <= 1) return [];
  const text = pending.map((a) => tr('review.card.pending', {
    action: tr(`review.buttons.${a}`), pressed: card.presses[a].length, quorum, mods: card.presses[a].map((id) => `<@${id}>`).join(', '),
  }));
  return [{ name: tr('review.card.waiting'), value: text.join('\n'), inline: false }];
}

function actionLines(card: ReviewCard): string[] {
  return card.actions.slice(-SHOWN_ACTIONS).map((a) => `<t:${Math.floor(a.at / 1000)}:R> ${a.by === null ? 'vt-guard' : `<@${a.by}>`}: ${a.what}`);
}

/** The buttons, each labelled by its key under `review.buttons` in locales/. */
const ROWS: readonly (readonly { action: CardAction; label: string; style: ButtonStyle }[])[] = [
  [
    { action: 'delete', label: 'delete', style: ButtonStyle.Danger },
    { action: 'timeout', label: 'timeout', style: ButtonStyle.Danger },
    { action: 'kick', label: 'kick', style: ButtonStyle.Danger },
    { action: 'ban', label: 'ban', style: ButtonStyle.Danger },
    { action: 'allow', label: 'allow', style: ButtonStyle.Secondary },
  ],
  [
    { action: 'false-positive', label: 'falsePositive', style: ButtonStyle.Success },
    { action: 'rescan', label: 'rescan', style: ButtonStyle.Secondary },
    { action: 'vote-malicious', label: 'voteMalicious', style: ButtonStyle.Danger },
    { action: 'vote-harmless', label: 'voteHarmless', style: ButtonStyle.Success },
  ],
];

/** What makes a button pointless: the message is already deleted, the member already kicked or banned. */
function finished(card: ReviewCard, action: CardAction): boolean {
  const gone = card.done.includes('kicked') || card.done.includes('banned');
  switch (action) {
    case 'delete': return card.done.includes('deleted') || card.done.includes('banned');
    case 'timeout': case 'kick': return gone;
    case 'ban': return card.done.includes('banned');
    case 'false-positive': return card.done.includes('false-positive');
    default: return false;
  }
}

function reviewButtons(card: ReviewCard, tr: Translate): ActionRow[] {
  return ROWS.map((row) => ({
    type: ComponentType.ActionRow,
    components: row.map((b): APIButtonComponent => ({
      type: ComponentType.Button, style: b.style as ButtonStyle.Danger, label: tr(`review.buttons.${b.label}`), custom_id: encodeCard(b.action), disabled: finished(card, b.action),
    })),
  }));
}

/** The card for a file VirusTotal has never seen: facts, the privacy notice and the Upload button. */
export function renderConsentCard(card: ConsentCard, locale?: string): CardBody {
  const { file } = card;
  const tr = translator(locale);
  const embed: APIEmbed = {
    title: tr('review.consent.title'),
    color: card.state === 'done' ? COLOURS.progress : COLOURS.unknown,
    description: [
      tr('review.consent.file', { name: safeText(file.name, 200), size: humanSize(file.size, locale) }),
      `**SHA-256** ${codeSpan(file.sha256, 70)}`,
      postedBy(tr, card),
      tr('review.consent.privacy'),
      ...card.log.slice(-SHOWN_ACTIONS),
    ].join('\n'),
  };
  const button: APIButtonComponent = {
    type: ComponentType.Button, style: ButtonStyle.Primary, label: tr('review.buttons.upload'), custom_id: encodeCard('upload'), disabled: card.state !== 'waiting',
  };
  return { content: '', embeds: clampEmbeds([embed]), components: [{ type: ComponentType.ActionRow, components: [button] }] };
}
