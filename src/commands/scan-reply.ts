/**
 * The part every scanning command shares: answer at once from the cache when it holds every
 * result (one REST call), else after `deferReply` scan, show progress in place, and end with the
 * result (or what went wrong) — the reply is never left "thinking…".
 */
import type { RepliableInteraction } from 'discord.js';
import type { APIEmbed } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import type { Indicator, Progress, ScanOutcome, ScanPolicy } from '../scan/outcome.js';
import { progressEmbed, scanningEmbed } from '../discord/render/progress.js';
import { buildResultMessage, type ActionRow } from '../discord/render/result-message.js';
import { talliesFor } from '../discord/tallies.js';
import { progressEditor } from './progress.js';
import { NO_PINGS } from '../discord/send.js';
import { recordCards } from '../discord/result-cards.js';
import { fitNotes } from '../discord/render/notes.js';
import { isExpiredInteraction, postExpiredResult } from '../discord/expired-reply.js';

export interface ScanRequest {
  indicators: readonly Indicator[];
  policy: ScanPolicy;
  /** The guild's malicious_threshold. */
  threshold: number;
  /** The guild's autoscan_reserve: commands may not spend that share of the day budget. */
  reservePercent: number;
  maskedTexts?: ReadonlyMap<string, string>;
  /** Lines shown above the result (what was skipped and why); already safe to render. */
  notes?: readonly string[];
}

/**
 * Discord drops an interaction not answered within 3 s; a store slower than this costs the cached
 * answer (the command defers and scans as usual), never the interaction.
 */
const CACHED_ANSWER_BUDGET_MS = 1_000;

/**
 * Replies with the result straight away when the cache answers every indicator (no deferral, no
 * edit: one REST call); false, having sent nothing, when VirusTotal must be asked or the cache is
 * slower than {@link CACHED_ANSWER_BUDGET_MS} — then defer and call {@link scanIntoReply}.
 */
export async function answerFromCache(ctx: AppContext, interaction: RepliableInteraction, request: ScanRequest): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), CACHED_ANSWER_BUDGET_MS); });
  const fromCache = async (): Promise<{ outcomes: ScanOutcome[]; tallies: Awaited<ReturnType<typeof talliesFor>> } | undefined> => {
    const peeked = await Promise.all(request.indicators.map((indicator) => ctx.scanner.peek(indicator, request.policy)));
    const outcomes = peeked.filter((o): o is ScanOutcome => o !== undefined);
    if (outcomes.length < peeked.length) return undefined;
    return { outcomes, tallies: await talliesFor(ctx, interaction.guildId, outcomes) };
  };
  const cached = await Promise.race([fromCache(), outOfTime]).finally(() => clearTimeout(timer));
  if (cached === undefined) return false;
  const reply = buildResultMessage(cached.outcomes, { threshold: request.threshold, tallies: cached.tallies, maskedTexts: request.maskedTexts, locale: interaction.locale });
  const content = fitNotes(request.notes ?? [], undefined, interaction.locale);
  const response = await interaction.reply({
    embeds: reply.embeds, components: reply.components, ...(content === '' ? {} : { content }), allowedMentions: NO_PINGS, withResponse: true,
  });
  const shownId = response.resource?.message?.id;
  if (shownId !== undefined) await recordCards(ctx, shownId, reply);
  return true;
}

/** The interaction token lives 15 minutes; stop waiting for VirusTotal a little before. */
const TOKEN_BUDGET_MS = 14 * 60_000;

interface Shown {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
}

export async function scanIntoReply(ctx: AppContext, interaction: RepliableInteraction, request: ScanRequest): Promise<ScanOutcome[]> {
  const log = ctx.log.child({ module: 'commands', interactionId: interaction.id });
  let shownId: string | undefined;
  const editor = progressEditor<Shown>(
    async (shown) => { shownId = (await interaction.editReply({ content: '', ...shown, allowedMentions: NO_PINGS })).id; },
    { clock: ctx.clock, onError: (err) => log.warn({ err }, 'progress edit failed') },
  );
  const total = request.indicators.length;
  let done = 0;
  const show = (indicator: Indicator, progress: Progress): void => {
    const embed = total === 1 ? progressEmbed(indicator, progress, interaction.locale) : scanningEmbed(done, total, progress, interaction.locale);
    editor.push({ embeds: [embed], components: [] });
  };
  try {
    const signal = AbortSignal.timeout(TOKEN_BUDGET_MS);
    const outcomes = await Promise.all(request.indicators.map(async (indicator) => {
      const outcome = await ctx.scanner.scan(indicator, {
        priority: 'command', policy: request.policy, signal, reservePercent: request.reservePercent, onProgress: (p) => show(indicator, p),
      });
      done += 1;
      if (total > 1 && done < total) editor.push({ embeds: [scanningEmbed(done, total, undefined, interaction.locale)], components: [] });
      return outcome;
    }));
    const tallies = await talliesFor(ctx, interaction.guildId, outcomes);
    const reply = buildResultMessage(outcomes, { threshold: request.threshold, tallies, maskedTexts: request.maskedTexts, locale: interaction.locale });
    const parts = { embeds: reply.embeds, components: reply.components };
    try {
      await editor.final({ ...parts, content: fitNotes(request.notes ?? [], undefined, interaction.locale) });
    } catch (err) {
      if (!isExpiredInteraction(err)) throw err;
      log.warn({ err }, 'interaction expired before the result; posting it in the channel');
      shownId = (await postExpiredResult(interaction, parts, request.notes ?? [])).id;
    }
    if (shownId !== undefined) await recordCards(ctx, shownId, reply);
    return outcomes;
  } catch (err) {
    // A late progress edit must not overwrite the failure the catch site is about to show.
    await editor.stop();
    throw err;
  }
}
