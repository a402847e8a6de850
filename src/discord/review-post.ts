/**
 * Posting and re-rendering review cards (src/discord/render/review-card.ts) in the log channel, with
 * their state in the store (src/store/reviews.ts): one card per flagged message, replacing the plain
 * copy the log channel used to get. Auto-scan posts them (through flagged-action.ts); the card's
 * buttons (src/buttons/review-*.ts) and escalation change them with {@link editReviewCard}.
 */
import { Routes } from 'discord.js';
import type { APIEmbed, APIMessage, Client, Message } from 'discord.js';
import type { AppContext } from '../context.js';
import { guildLocale, translator, type LocaleCode } from '../core/i18n.js';
import { objectKey } from '../core/objects.js';
import { isFlagged, outcomeTarget, type ScanOutcome } from '../scan/outcome.js';
import { registrableDomain } from '../store/allowlist.js';
import type { ConsentCard, ReviewCard, ReviewTarget, StoredCard } from '../store/reviews.js';
import { kindLabel } from './render/card-facts.js';
import { codeSpan, defang, defangUrl, truncate } from './render/defang.js';
import { renderConsentCard, renderReviewCard, type CardBody } from './render/review-card.js';
import { NO_PINGS, sendToChannel, type MessageRef, type SendOptions } from './send.js';

/** What the scan found, for the card: the outcomes, the guild's threshold and the verdict cards as rendered. */
export interface ReviewInput {
  outcomes: readonly ScanOutcome[];
  threshold: number;
  embeds: APIEmbed[];
}

export type Evidence = ReviewCard['evidence'];

const EXCERPT_MAX = 500;

/**
 * What the message holds, read before anything is done to it (a delete would take it away): its
 * text, links defanged, and its attachments by name and hash (from the scan).
 */
export async function evidenceOf(client: Client, message: MessageRef, outcomes: readonly ScanOutcome[]): Promise<Evidence> {
  const files = outcomes.flatMap((o) => (o.indicator.kind === 'file' ? [{ name: o.indicator.file.name, sha256: o.indicator.file.sha256 }] : []));
  const posted = await client.rest.get(Routes.channelMessage(message.channelId, message.id)).then((m) => m as APIMessage, () => null);
  const text = typeof posted?.content === 'string' ? posted.content : '';
  return { excerpt: truncate(defang(text), EXCERPT_MAX), files: files.slice(0, 10) };
}

/**
 * The language of a guild's cards, DMs and audit reasons: nobody asked for them, so its `language`
 * setting, else the guild's Discord `preferred_locale` (CONTRIBUTING.md "Add a text").
 */
export async function serverLocale(ctx: AppContext, client: Client, guildId: string): Promise<LocaleCode> {
  const settings = await ctx.store.settings.get(guildId);
  return guildLocale(settings.language, client.guilds.cache.get(guildId)?.preferredLocale);
}

/** The flagged objects of a scan as a card lists them (in `locale`), with what Allowlist would add for each. */
export function reviewTargets(outcomes: readonly ScanOutcome[], threshold: number, locale?: string): ReviewTarget[] {
  const tr = translator(locale);
  const seen = new Set<string>();
  return outcomes.filter((o) => isFlagged(o, threshold)).flatMap((o): ReviewTarget[] => {
    const target = outcomeTarget(o);
    if (target === null || seen.has(objectKey(target))) return [];
    seen.add(objectKey(target));
    const domainOnly = o.status === 'found' && o.lookedUpAs !== undefined;
    const shown = o.indicator.kind === 'url' ? defangUrl(domainOnly ? originOf(o.indicator.value) : o.indicator.value)
      : o.indicator.kind === 'file' ? o.indicator.file.sha256 : defang(o.indicator.value);
    const note = domainOnly ? tr('review.card.domainOnly') : '';
    const counts = o.status === 'found' ? tr('review.card.counts', { malicious: o.report.stats.malicious, suspicious: o.report.stats.suspicious }) : '';
    const link = o.status === 'found' && o.report.permalink.startsWith('https://') ? ` · [VirusTotal](${o.report.permalink})` : '';
    return [{ ...target, allow: allowOf(o), label: `${kindLabel(target.kind, locale)} ${codeSpan(shown, 200)}${note}${counts}${link}` }];
  }).slice(0, 20);
}

/** Posts a review card for `message` to `channelId` and records it; returns the card message. */
export async function postReviewCard(
  ctx: AppContext, client: Client, channelId: string, header: string, message: MessageRef,
  review: ReviewInput & { evidence: Evidence; bot: ReviewCard['bot'] }, options: SendOptions = {},
): Promise<{ sent: Message; card: ReviewCard }> {
  const guildId = message.guildId ?? '';
  const locale = await serverLocale(ctx, client, guildId);
  const card: ReviewCard = {
    kind: 'review', guildId, cardChannelId: channelId, channelId: message.channelId, messageId: message.id,
    authorId: message.author?.id ?? null, header, evidence: review.evidence, targets: reviewTargets(review.outcomes, review.threshold, locale),
    results: review.embeds, actions: [], presses: { kick: [], ban: [] }, done: review.bot.steps.includes('deleted') ? ['deleted'] : [], bot: review.bot,
  };
  const body = await bodyOf(ctx, client, card);
  const sent = await sendToChannel(client, channelId, body, options);
  await ctx.store.reviews.put(sent.id, card).catch((err: unknown) =>
    ctx.log.warn({ module: 'review', cardId: sent.id, err }, 'could not record a review card; its buttons will not work'));
  return { sent, card };
}

/** The card's message body from its stored state, the guild's quorum and language, and the votes on its first target. */
export async function bodyOf(ctx: AppContext, client: Client, card: StoredCard): Promise<CardBody> {
  const settings = await ctx.store.settings.get(card.guildId);
  const locale = guildLocale(settings.language, client.guilds.cache.get(card.guildId)?.preferredLocale);
  if (card.kind === 'consent') return renderConsentCard(card, locale);
  const first = card.targets[0];
  const tally = first === undefined ? null : await ctx.store.votes.tally(card.guildId, objectKey(first));
  const voted = tally !== null && tally.malicious + tally.harmless > 0;
  return renderReviewCard(card, { quorum: settings.quorum, tally: voted ? tally : null, locale });
}

/**
 * Changes a stored card and edits its message to match. Callers serialise per card (the buttons'
 * queue); returns the changed card, or null when no card is recorded under `cardId`.
 */
export async function editReviewCard<C extends StoredCard>(
  ctx: AppContext, client: Client, cardId: string, change: (card: C) => void, kind: C['kind'],
): Promise<C | null> {
  const card = await ctx.store.reviews.get(cardId);
  if (card?.kind !== kind) return null;
  change(card as C);
  await ctx.store.reviews.put(cardId, card);
  const body = await bodyOf(ctx, client, card);
  await client.rest.patch(Routes.channelMessage(card.cardChannelId, cardId), { body: { ...body, allowed_mentions: { parse: NO_PINGS.parse } } });
  return card as C;
}

function allowOf(outcome: ScanOutcome): string | null {
  const { indicator } = outcome;
  switch (indicator.kind) {
    case 'file': return indicator.file.sha256.toLowerCase();
    case 'hash': return /^[0-9a-f]{64}$/i.test(indicator.value) ? indicator.value.toLowerCase() : outcome.status === 'found' ? outcome.report.id : null;
    case 'domain': return registrableDomain(indicator.value);
    case 'url': {
      const host = URL.parse(indicator.value)?.hostname;
      return host === undefined ? null : registrableDomain(host);
    }
    case 'ip': return null;
  }
}

function originOf(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)?.[0] ?? url;
}

/** Posts a consent card (`upload_files ask`) for a file VirusTotal has never seen, and records it. */
export async function postConsentCard(
  ctx: AppContext, client: Client, channelId: string, message: MessageRef & { guildId: string }, file: { name: string; size: number; sha256: string },
): Promise<string> {
  const card: ConsentCard = {
    kind: 'consent', guildId: message.guildId, cardChannelId: channelId, channelId: message.channelId, messageId: message.id,
    authorId: message.author?.id ?? null, file, state: 'waiting', log: [],
  };
  const sent = await sendToChannel(client, channelId, await bodyOf(ctx, client, card));
  await ctx.store.reviews.put(sent.id, card);
  return sent.id;
}
