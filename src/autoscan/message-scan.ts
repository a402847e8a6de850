/**
 * The auto-scan of one message event (a new message, an edit, a late link embed): plan what to look
 * up, download attachments at once, record the job, scan, answer once, store a follow-up for what
 * VirusTotal could not answer, complete the job. Resumed jobs and follow-ups enter at `runJob`.
 */
import { DiscordAPIError } from 'discord.js';
import type { Logger } from '../log.js';
import { mayHaveIndicator } from '../scan/extract.js';
import { collect, plan, plannedKey, type Plan, type Planned, type ScannableMessage } from '../scan/message-plan.js';
import type { Indicator, ScanOutcome } from '../scan/outcome.js';
import { discardFiles, spoolPlanned } from '../scan/planned-files.js';
import type { GuildSettings } from '../store/settings.js';
import type { MessageRef } from '../discord/send.js';
import { answerScannedMessage } from './answer.js';
import { followUpOf, MAX_ATTEMPTS, needsRetry } from './follow-up.js';
import { autoScanJobs, newNonce, toStored, type AutoScanJob } from './jobs.js';
import type { AutoScanRuntime } from './runtime.js';

const REFUSED = ['vtguard_autoscan_refused_total', 'Auto-scan indicators not scanned because a bound was reached'] as const;
const SKIPPED = ['vtguard_autoscan_attachments_skipped_total', 'Attachments not downloaded'] as const;

export async function scanMessage(rt: AutoScanRuntime, message: ScannableMessage & MessageRef): Promise<void> {
  const { ctx } = rt;
  if (message.guildId === null) return; // settings are per guild; DMs are not auto-scanned
  const collected = collect(message);
  // Most chat has nothing to look up: the extractor's in-memory fast path says so before any store read.
  if (collected.attachments.length === 0 && !collected.texts.some(mayHaveIndicator)) return;
  const settings = await ctx.store.settings.get(message.guildId);
  if (!settings.autoscanLinks && !settings.autoscanAttachments) return;
  const log = ctx.log.child({ module: 'autoscan', guildId: message.guildId, messageId: message.id });
  const planned = plan(collected, settings, rt.handled.of(message.id));
  let items = admit(rt, log, planned);
  if (items.length === 0) return;
  // Marked in the same synchronous step as the plan was read: an edit or a late embed handled
  // meanwhile sees these and does not scan them again.
  rt.handled.add(message.id, items.map(plannedKey));
  let held = items.length;
  let indicators: Indicator[] = [];
  try {
    // Processes sharing a store all receive the event: each item goes to the one that marks it first.
    const mine = new Set(await ctx.store.handled.mark(message.id, items.map(plannedKey)));
    items = items.filter((item) => mine.has(plannedKey(item)));
    rt.backlog.release(held - items.length);
    held = items.length;
    if (items.length === 0) return;
    const spooled = await spoolPlanned(ctx.config, items);
    indicators = spooled.indicators;
    for (const { attachment, reason, error } of spooled.refused) {
      // A foreign host means a forged or proxied attachment URL: worth a warning, never a fetch.
      const fields = { attachmentId: attachment.id, size: attachment.size, reason };
      if (reason === 'size') log.info({ ...fields, maxBytes: ctx.config.maxFileBytes }, 'attachment over the size limit, not downloaded');
      else log.warn({ ...fields, host: hostOf(attachment.url), err: error }, 'attachment not scanned');
      ctx.metrics.inc(...SKIPPED, { reason });
    }
    rt.backlog.release(spooled.refused.length);
    held -= spooled.refused.length;
    if (indicators.length === 0) return;
    const job: AutoScanJob = {
      type: 'autoscan',
      guildId: message.guildId,
      channelId: message.channelId,
      messageId: message.id,
      authorId: message.author?.id ?? null,
      indicators: indicators.map(toStored),
      keys: items.map(plannedKey),
      nonce: newNonce(),
    };
    const jobId = await autoScanJobs(ctx).add(job);
    rt.ownJobs.add(jobId);
    try {
      await runJob(rt, jobId, job, { indicators, maskedTexts: planned.maskedTexts, settings });
    } finally {
      rt.ownJobs.delete(jobId); // over, or left for the next process's resume
      // Not completed (it failed): let its claim go, so a shared store's sweep runs it again (app.ts).
      await autoScanJobs(ctx).release(jobId).catch(() => undefined);
    }
  } finally {
    await discardFiles(indicators);
    rt.backlog.release(held);
  }
}

/** Applies the per-message cap and the backlog bound; what is refused is logged and counted. */
function admit(rt: AutoScanRuntime, log: Logger, planned: Plan): Planned[] {
  if (planned.overCap > 0) {
    log.warn({ skipped: planned.overCap }, 'too many indicators in one message; the rest are not scanned');
    rt.ctx.metrics.inc(...REFUSED, { reason: 'per-message' }, planned.overCap);
  }
  const granted = rt.backlog.take(planned.items.length);
  if (granted < planned.items.length) {
    log.warn({ refused: planned.items.length - granted, backlog: rt.backlog.capacity }, 'auto-scan backlog full; indicators refused');
    rt.ctx.metrics.inc(...REFUSED, { reason: 'backlog' }, planned.items.length - granted);
  }
  return planned.items.slice(0, granted);
}

/** What a fresh message's job brings beyond the stored job. */
export interface JobExtras {
  /** The indicators as scanned now (spooled files); resumed jobs use the stored ones. */
  indicators: readonly Indicator[];
  maskedTexts?: ReadonlyMap<string, string>;
  /** The settings the caller just read (a fresh message); resumed jobs read them here. */
  settings?: GuildSettings;
}

/**
 * Scans a recorded job's indicators, answers, stores a follow-up for the indicators VirusTotal
 * could not answer, and completes the job (also used on resume and for follow-ups).
 */
export async function runJob(rt: AutoScanRuntime, jobId: string, job: AutoScanJob, extras: JobExtras): Promise<void> {
  const { ctx, client } = rt;
  const log = ctx.log.child({ module: 'autoscan', guildId: job.guildId, messageId: job.messageId, jobId });
  const before = extras.settings ?? (await ctx.store.settings.get(job.guildId));
  const policy = { submitUrls: before.submitUrls, uploadFiles: before.uploadFiles };
  const outcomes = await Promise.all(extras.indicators.map((indicator) => ctx.scanner.scan(indicator, { priority: 'autoscan', policy })));
  ctx.metrics.inc('vtguard_autoscan_indicators_total', 'Indicators auto-scanned', {}, outcomes.length);
  if (!client.isReady()) {
    // Shutting down: the job stays pending and the next start answers it.
    log.info('client stopped before answering; left for resume');
    return;
  }
  // Read again: a moderator may have changed the action while the scan waited for quota.
  const settings = await ctx.store.settings.get(job.guildId);
  const message: MessageRef = { id: job.messageId, channelId: job.channelId, guildId: job.guildId, author: job.authorId ? { id: job.authorId } : null };
  // A follow-up speaks only about a threat: a clean report for part of a message, late, is noise.
  const answerSettings = job.attempt === undefined ? settings : { ...settings, reportClean: false };
  const scanned = { message, outcomes, nonce: job.nonce, maskedTexts: extras.maskedTexts };
  const answered = await answerScannedMessage(ctx, client, answerSettings, scanned).catch((error: unknown) => {
    // Missing permissions or a deleted channel will not heal on a retry after restart: give up on
    // this answer (warn) and complete the job. Anything else propagates and leaves it pending.
    if (!(error instanceof DiscordAPIError) || (error.status !== 403 && error.status !== 404)) throw error;
    log.warn({ status: error.status, code: error.code, action: settings.action }, 'Discord refused the auto-scan answer');
    return 'refused' as const;
  });
  const failed = outcomes.filter(needsRetry);
  for (const o of failed) log.warn({ status: o.status, kind: o.indicator.kind }, 'indicator could not be checked');
  // Stored before the job is completed, so a crash in between cannot lose these indicators.
  if (failed.length > 0) await retryLater(rt, job, failed, log);
  ctx.metrics.inc('vtguard_autoscan_answers_total', 'Auto-scanned message events by answer', { answered });
  await autoScanJobs(ctx).complete(jobId);
  log.debug({ answered, indicators: outcomes.length }, 'auto-scan done');
}

/** Stores and schedules the follow-up of `failed`, or gives up on them after the last attempt. */
async function retryLater(rt: AutoScanRuntime, job: AutoScanJob, failed: readonly ScanOutcome[], log: Logger): Promise<void> {
  const { ctx } = rt;
  const next = followUpOf(job, failed, rt.retryBaseMs, ctx.clock());
  if (!next) {
    log.warn({ attempts: MAX_ATTEMPTS, indicators: failed.length, statuses: failed.map((o) => o.status) }, 'giving up on indicators VirusTotal could not check');
    ctx.metrics.inc('vtguard_autoscan_gave_up_total', 'Auto-scan indicators left unchecked after every attempt failed', {}, failed.length);
    return;
  }
  const nextId = await autoScanJobs(ctx).add(next);
  log.info({ followUpId: nextId, attempt: next.attempt, notBefore: next.notBefore, indicators: failed.length }, 'scanning unchecked indicators again later');
  rt.schedule(nextId, next);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unparsable';
  }
}
