/**
 * Upload to VirusTotal, on a consent card (`upload_files ask`): a moderator (Manage Messages) agrees
 * to share one file VirusTotal has never seen. The message is fetched again for a fresh attachment
 * link (CDN links expire), the file downloaded and checked against the card's hash, uploaded (the
 * client goes through an upload URL above 32 MB), and the card follows the analysis. A flagged
 * result then gets the server's action on the original message, and a review card. The presser is
 * answered in their language; the card's log speaks the server's.
 */
import { Routes } from 'discord.js';
import type { APIMessage, ButtonInteraction, Client } from 'discord.js';
import type { AppContext } from '../context.js';
import { translator, type Translate } from '../core/i18n.js';
import { actOnFlagged } from '../discord/flagged-action.js';
import { buildResultMessage } from '../discord/render/result-message.js';
import { verdictLabel } from '../discord/render/card-facts.js';
import { editReviewCard, serverLocale } from '../discord/review-post.js';
import { tellPresser } from '../discord/send.js';
import { talliesFor } from '../discord/tallies.js';
import { isFlagged, outcomeWord, type Progress, type ScanOutcome, type SpooledFile } from '../scan/outcome.js';
import { spoolPosted } from '../scan/planned-files.js';
import type { ConsentCard } from '../store/reviews.js';
import type { ButtonEnv } from './env.js';
import { refuseUnlessModerator } from './card-press.js';

/** Download, upload and analysis together; the analysis goes on (and fills the cache) past it. */
const UPLOAD_DEADLINE_MS = 15 * 60_000;

export async function uploadOnConsent(env: ButtonEnv, interaction: ButtonInteraction, pressed: ConsentCard): Promise<void> {
  if (await refuseUnlessModerator(interaction, 'upload')) return;
  await interaction.deferUpdate();
  const { ctx } = env;
  const cardId = interaction.message.id;
  const { client } = interaction;
  const presser = translator(interaction.locale);
  const locale = await serverLocale(ctx, client, pressed.guildId);
  const tr = translator(locale);
  const edit = (change: (card: ConsentCard) => void): Promise<ConsentCard | null> =>
    env.cards.run(cardId, () => editReviewCard<ConsentCard>(ctx, client, cardId, change, 'consent'));
  // Claimed inside the card's queue: of two presses at once, one uploads and the other is told.
  let claimed = false;
  const card = await edit((c) => {
    if (c.state !== 'waiting') return;
    claimed = true;
    c.state = 'uploading';
    c.log.push(tr('review.consent.agreed', { user: `<@${interaction.user.id}>` }));
  });
  if (card === null || !claimed) {
    await tellPresser(interaction, presser('review.consent.busy'));
    return;
  }
  await tellPresser(interaction, presser('review.consent.uploading'));
  let file: SpooledFile | null = null;
  try {
    const signal = AbortSignal.timeout(UPLOAD_DEADLINE_MS);
    file = await downloadAgain(ctx, client, card, signal);
    if (file === null) {
      await edit((c) => { c.state = 'done'; c.log.push(tr('review.consent.fileGone')); });
      return;
    }
    const spooled = file;
    let shown = '';
    const onProgress = (p: Progress): void => {
      const line = tr(p.stage === 'queued' ? 'review.consent.queued' : p.stage === 'submitted' ? 'review.consent.submitted' : 'review.consent.analysing');
      if (line === shown) return;
      shown = line;
      void edit((c) => { c.log.push(line); }).catch((err: unknown) => ctx.log.warn({ module: 'consent', cardId, err }, 'could not show upload progress'));
    };
    const outcome = await ctx.scanner.scan({ kind: 'file', value: spooled.sha256, file: spooled }, {
      priority: 'button', policy: { submitUrls: false, uploadFiles: true }, onProgress, signal,
    });
    await finish(ctx, client, card, outcome, { tr, locale }, (line) => edit((c) => { c.state = 'done'; c.log.push(line); }));
  } catch (error) {
    await edit((c) => { c.state = 'done'; c.log.push(tr('review.consent.failed')); }).catch(() => undefined);
    throw error;
  } finally {
    await file?.discard();
  }
}

/** The message's attachment as posted now, downloaded; null when it is gone or no longer the same file. */
async function downloadAgain(ctx: AppContext, client: Client, card: ConsentCard, signal: AbortSignal): Promise<SpooledFile | null> {
  const message = await client.rest.get(Routes.channelMessage(card.channelId, card.messageId)).then((m) => m as APIMessage, () => null);
  const candidates = (message?.attachments ?? []).filter((a) => a.filename === card.file.name && a.size === card.file.size);
  for (const attachment of candidates) {
    const file = await spoolPosted(ctx.config, { name: attachment.filename, size: attachment.size, url: attachment.url }, signal);
    if (file.sha256.toLowerCase() === card.file.sha256.toLowerCase()) return file;
    await file.discard();
  }
  return null;
}

/** Shows the verdict on the card, and acts on the original message when it is flagged. */
async function finish(
  ctx: AppContext, client: Client, card: ConsentCard, outcome: ScanOutcome, lang: { tr: Translate; locale: string }, show: (line: string) => Promise<unknown>,
): Promise<void> {
  const { tr, locale } = lang;
  const settings = await ctx.store.settings.get(card.guildId);
  const threshold = settings.maliciousThreshold;
  const word = outcomeWord(outcome, threshold);
  const stats = outcome.status === 'found' ? tr('review.consent.stats', { engines: outcome.report.stats.malicious, link: outcome.report.permalink }) : '';
  await show(outcome.status === 'unknown' ? tr('review.consent.stillAnalysing') : tr('review.consent.result', { word: verdictLabel(word, locale), stats }));
  if (!isFlagged(outcome, threshold)) return;
  const tallies = await talliesFor(ctx, card.guildId, [outcome]);
  const result = buildResultMessage([outcome], { threshold, tallies, locale });
  const message = { id: card.messageId, channelId: card.channelId, guildId: card.guildId, author: card.authorId === null ? null : { id: card.authorId } };
  await actOnFlagged(ctx, client, message, { ...settings, locale }, result, {}, { outcomes: [outcome], threshold, embeds: result.embeds });
}
