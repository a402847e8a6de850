/**
 * How review and consent cards look (README.md "Review cards"). Pure: a stored card (src/store/reviews.ts)
 * plus the guild's quorum and the vote tally in, a message body out; every edit renders the whole
 * card again from the store, never from the card's rendered text.
 */
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { APIButtonComponent, APIEmbed } from 'discord-api-types/v10';
import type { ModeratorTally } from '../../core/objects.js';
import type { ConsentCard, ReviewCard } from '../../store/reviews.js';
import { encodeCard, type CardAction } from '../custom-id.js';
import { humanSize } from './card-facts.js';
import { COLOURS, tallyText } from './card.js';
import { clampEmbeds, codeSpan, safeText, truncate } from './defang.js';
import type { ActionRow } from './result-message.js';

/** What a card shows besides the stored card. */
export interface ReviewView {
  quorum: number;
  tally: ModeratorTally | null;
}

export interface CardBody {
  content: string;
  embeds: APIEmbed[];
  components: ActionRow[];
}

const SHOWN_ACTIONS = 10;

export const PRIVACY_NOTICE = 'Uploading shares the file with VirusTotal: its customers can download it. Upload only what holds no private data.';

/** The jump link to a message. */
export function jumpLink(guildId: string, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

export function renderReviewCard(card: ReviewCard, view: ReviewView): CardBody {
  const where = `<#${card.channelId}> · [jump to the message](${jumpLink(card.guildId, card.channelId, card.messageId)})`;
  const lines = [
    `**Posted by** ${card.authorId === null ? 'an unknown author' : `<@${card.authorId}>`} in ${where}`,
    ...(card.done.includes('deleted') ? ['The message was deleted; the evidence below is what it held.'] : []),
  ];
  const fields = [
    { name: 'Flagged', value: truncate(card.targets.map((t) => `${t.label}`).join('\n') || 'nothing left flagged', 1024), inline: false },
    ...evidenceFields(card),
    ...(view.tally === null ? [] : [{ name: 'Moderator votes', value: tallyText(view.tally), inline: true }]),
    ...quorumFields(card, view.quorum),
    ...(card.actions.length === 0 ? [] : [{ name: 'Actions', value: truncate(actionLines(card).join('\n'), 1024), inline: false }]),
  ];
  const review: APIEmbed = {
    title: card.done.includes('false-positive') ? 'Review · marked a false positive' : 'Review · flagged message',
    color: card.done.includes('false-positive') ? COLOURS.clean : COLOURS.malicious,
    description: lines.join('\n'),
    fields,
    footer: { text: 'Buttons act on the flagged message and its author; each asks for the permission Discord requires.' },
  };
  const results = (card.results as APIEmbed[]).slice(0, 9);
  return { content: card.header, embeds: clampEmbeds([review, ...results]), components: reviewButtons(card) };
}

function evidenceFields(card: ReviewCard): APIEmbed['fields'] & object {
  const files = card.evidence.files.map((f) => `${safeText(f.name, 100)} · ${codeSpan(f.sha256, 70)}`);
  return [
    ...(card.evidence.excerpt === '' ? [] : [{ name: 'Text (links defanged)', value: codeSpan(card.evidence.excerpt, 1000), inline: false }]),
    ...(files.length === 0 ? [] : [{ name: 'Attachments', value: truncate(files.join('\n'), 1024), inline: false }]),
  ];
}

/** `Ban: 1 of 2 — @mod`, for a Kick or Ban waiting for more moderators. */
function quorumFields(card: ReviewCard, quorum: number): NonNullable<APIEmbed['fields']> {
  const pending = (['kick', 'ban'] as const).filter((a) => card.presses[a].length > 0 && !card.done.includes(a === 'kick' ? 'kicked' : 'banned'));
  if (pending.length === 0 || quorum <= 1) return [];
  const text = pending.map((a) => `${a === 'kick' ? 'Kick' : 'Ban'}: ${card.presses[a].length} of ${quorum} — ${card.presses[a].map((id) => `<@${id}>`).join(', ')}`);
  return [{ name: 'Waiting for more moderators', value: text.join('\n'), inline: false }];
}

function actionLines(card: ReviewCard): string[] {
  return card.actions.slice(-SHOWN_ACTIONS).map((a) => `<t:${Math.floor(a.at / 1000)}:R> ${a.by === null ? 'vt-guard' : `<@${a.by}>`}: ${a.what}`);
}

const ROWS: readonly (readonly { action: CardAction; label: string; style: ButtonStyle }[])[] = [
  [
    { action: 'delete', label: 'Delete message', style: ButtonStyle.Danger },
    { action: 'timeout', label: 'Timeout', style: ButtonStyle.Danger },
    { action: 'kick', label: 'Kick', style: ButtonStyle.Danger },
    { action: 'ban', label: 'Ban', style: ButtonStyle.Danger },
    { action: 'allow', label: 'Allowlist', style: ButtonStyle.Secondary },
  ],
  [
    { action: 'false-positive', label: 'False positive', style: ButtonStyle.Success },
    { action: 'rescan', label: 'Rescan', style: ButtonStyle.Secondary },
    { action: 'vote-malicious', label: 'Vote malicious', style: ButtonStyle.Danger },
    { action: 'vote-harmless', label: 'Vote harmless', style: ButtonStyle.Success },
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

function reviewButtons(card: ReviewCard): ActionRow[] {
  return ROWS.map((row) => ({
    type: ComponentType.ActionRow,
    components: row.map((b): APIButtonComponent => ({
      type: ComponentType.Button, style: b.style as ButtonStyle.Danger, label: b.label, custom_id: encodeCard(b.action), disabled: finished(card, b.action),
    })),
  }));
}

/** The card for a file VirusTotal has never seen: facts, the privacy notice and the Upload button. */
export function renderConsentCard(card: ConsentCard): CardBody {
  const { file } = card;
  const embed: APIEmbed = {
    title: 'Unknown to VirusTotal',
    color: card.state === 'done' ? COLOURS.progress : COLOURS.unknown,
    description: [
      `**File** ${safeText(file.name, 200)} · ${humanSize(file.size)}`,
      `**SHA-256** ${codeSpan(file.sha256, 70)}`,
      `**Posted by** ${card.authorId === null ? 'an unknown author' : `<@${card.authorId}>`} in <#${card.channelId}> · [jump to the message](${jumpLink(card.guildId, card.channelId, card.messageId)})`,
      PRIVACY_NOTICE,
      ...card.log.slice(-SHOWN_ACTIONS),
    ].join('\n'),
  };
  const button: APIButtonComponent = {
    type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Upload to VirusTotal', custom_id: encodeCard('upload'), disabled: card.state !== 'waiting',
  };
  return { content: '', embeds: clampEmbeds([embed]), components: [{ type: ComponentType.ActionRow, components: [button] }] };
}
