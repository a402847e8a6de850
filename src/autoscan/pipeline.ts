/**
 * The auto-scan of one message event (a new message, an edit, a late link embed): plan what to look
 * up, download attachments at once, record the job, scan, answer once, store a follow-up for what
 * VirusTotal could not answer, complete the job.
 */
import { DiscordAPIError } from 'discord.js';
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import type { Logger } from '../log.js';
import type { Indicator, ScanOutcome } from '../scan/outcome.js';
import type { GuildSettings } from '../store/settings.js';
import type { MessageRef } from '../discord/send.js';
import { mayHaveIndicator } from '../scan/extract.js';
import { answer } from './answer.js';
import { collect, type ScannableMessage } from '../scan/message-collect.js';
import { followUpOf, MAX_ATTEMPTS, needsRetry } from './follow-up.js';
import { autoScanJobs, fromStored, newNonce, toStored, type AutoScanJob } from './jobs.js';
import { keyOf, plan, type Plan, type Planned } from '../scan/message-plan.js';
import type { Backlog } from './backlog.js';
import { runtimeOf } from './runtime.js';
import { discardFiles, spoolPlanned } from './spool.js';
import { track } from './track.js';

const REFUSED = ['vtguard_autoscan_refused_total', 'Auto-scan indicators not scanned because a bound was reached'] as const;

export async function autoScanMessage(ctx: AppContext, client: Client, message: ScannableMessage & MessageRef): Promise<void> {
  if (message.guildId === null) return; // settings are per guild; DMs are not auto-scanned
  const collected = collect(message);
  // Most chat has nothing to look up: the extractor's in-memory fast path says so before any store read.
  if (collected.attachments.length === 0 && !collected.texts.some(mayHaveIndicator)) return;
  const settings = await ctx.store.settings.get(message.guildId);
  if (!settings.autoscanLinks && !settings.autoscanAttachments) return;
  const runtime = runtimeOf(client);
  const log = ctx.log.child({ module: 'autoscan', guildId: message.guildId, messageId: message.id });
  const planned = plan(collected, settings, runtime.handled.of(message.id));
  const items = admit(ctx, runtime.backlog, log, planned);
  if (items.length === 0) return;
  // Marked in the same synchronous step as the plan was read: an edit or a late embed handled
  // meanwhile sees these and does not scan them again.
  runtime.handled.add(message.id, items.map(keyOf));
  const granted = items.length;
  let held = granted;
  let indicators: Indicator[] = [];
  try {
    const spooled = await spoolPlanned(ctx, items);
    indicators = spooled.indicators;
    runtime.backlog.release(spooled.skipped);
    held -= spooled.skipped;
    if (indicators.length === 0) return;
    const job: AutoScanJob = {
      type: 'autoscan',
      guildId: message.guildId,
      channelId: message.channelId,
      messageId: message.id,
      authorId: message.author?.id ?? null,
      indicators: indicators.map(toStored),
      keys: items.map(keyOf),
      nonce: newNonce(),
    };
    const jobId = await autoScanJobs(ctx).add(job);
    runtime.ownJobs.add(jobId);
    try {
      await runJob(ctx, client, jobId, job, indicators, planned.maskedTexts, settings);
    } finally {
      runtime.ownJobs.delete(jobId); // over, or left for the next process's resume
    }
  } finally {
    await discardFiles(indicators);
    runtime.backlog.release(held);
  }
}

/** Applies the per-message cap and the backlog bound; what is refused is logged and counted. */
function admit(ctx: AppContext, backlog: Backlog, log: Logger, planned: Plan): Planned[] {
  if (planned.overCap > 0) {
    log.warn({ skipped: planned.overCap }, 'too many indicators in one message; the rest are not scanned');
    ctx.metrics.inc(...REFUSED, { reason: 'per-message' }, planned.overCap);
  }
  const granted = backlog.take(planned.items.length);
  if (granted < planned.items.length) {
    log.warn({ refused: planned.items.length - granted, backlog: backlog.capacity }, 'auto-scan backlog full; indicators refused');
    ctx.metrics.inc(...REFUSED, { reason: 'backlog' }, planned.items.length - granted);
  }
  return planned.items.slice(0, granted);
}

/**
 * Scans a recorded job's indicators, answers, stores a follow-up for the indicators VirusTotal
 * could not answer, and completes the job (also used on resume and for follow-ups).
 */
export async function runJob(
  ctx: AppContext,
  client: Client,
  jobId: string,
  job: AutoScanJob,
  indicators: readonly Indicator[],
  maskedTexts?: ReadonlyMap<string, string>,
  /** The settings the caller just read (a fresh message); resumed jobs read them here. */
  known?: GuildSettings,
): Promise<void> {
  const log = ctx.log.child({ module: 'autoscan', guildId: job.guildId, messageId: job.messageId, jobId });
  const before = known ?? (await ctx.store.settings.get(job.guildId));
  const policy = { submitUrls: before.submitUrls, uploadFiles: before.uploadFiles };
  const outcomes = await Promise.all(indicators.map((indicator) => ctx.scanner.scan(indicator, { priority: 'autoscan', policy })));
  ctx.metrics.inc('vtguard_autoscan_indicators_total', 'Indicators auto-scanned', {}, outcomes.length);
  if (!client.isReady()) {
    // Shutting down: the job stays pending and the next start answers it.
    log.info('client stopped before answering; left for resume');
    return;
  }
  // Read again: a moderator may have changed the action while the scan waited for quota.
  const settings = await ctx.store.settings.get(job.guildId);
  const ref: MessageRef = { id: job.messageId, channelId: job.channelId, guildId: job.guildId, author: job.authorId ? { id: job.authorId } : null };
  // A follow-up speaks only about a threat: a clean report for part of a message, late, is noise.
  const answerSettings = job.attempt === undefined ? settings : { ...settings, reportClean: false };
  const answered = await answer(ctx, client, ref, answerSettings, outcomes, job.nonce, maskedTexts).catch((error: unknown) => {
    // Missing permissions or a deleted channel will not heal on a retry after restart: give up on
    // this answer (warn) and complete the job. Anything else propagates and leaves it pending.
    if (!(error instanceof DiscordAPIError) || (error.status !== 403 && error.status !== 404)) throw error;
    log.warn({ status: error.status, code: error.code, action: settings.action }, 'Discord refused the auto-scan answer');
    return 'refused' as const;
  });
  const failed = outcomes.filter(needsRetry);
  for (const o of failed) log.warn({ status: o.status, kind: o.indicator.kind }, 'indicator could not be checked');
  // Stored before the job is completed, so a crash in between cannot lose these indicators.
  if (failed.length > 0) await retryLater(ctx, client, job, failed, log);
  ctx.metrics.inc('vtguard_autoscan_answers_total', 'Auto-scanned message events by answer', { answered });
  await autoScanJobs(ctx).complete(jobId);
  log.debug({ answered, indicators: outcomes.length }, 'auto-scan done');
}

/** Stores and schedules the follow-up of `failed`, or gives up on them after the last attempt. */
async function retryLater(ctx: AppContext, client: Client, job: AutoScanJob, failed: readonly ScanOutcome[], log: Logger): Promise<void> {
  const next = followUpOf(job, failed, runtimeOf(client).retryBaseMs, ctx.clock());
  if (!next) {
    log.warn({ attempts: MAX_ATTEMPTS, indicators: failed.length, statuses: failed.map((o) => o.status) }, 'giving up on indicators VirusTotal could not check');
    ctx.metrics.inc('vtguard_autoscan_gave_up_total', 'Auto-scan indicators left unchecked after every attempt failed', {}, failed.length);
    return;
  }
  const nextId = await autoScanJobs(ctx).add(next);
  log.info({ followUpId: nextId, attempt: next.attempt, notBefore: next.notBefore, indicators: failed.length }, 'scanning unchecked indicators again later');
  scheduleJob(ctx, client, nextId, next);
}

/** Node's timers hold at most ~24.8 days; a longer wait (a monthly budget) is taken in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs a stored follow-up at its `notBefore`, through the one catch site; it counts as in flight
 * only while it runs. The timer does not keep the process alive and is cleared on stop.
 */
export function scheduleJob(ctx: AppContext, client: Client, jobId: string, job: AutoScanJob): void {
  const runtime = runtimeOf(client);
  runtime.ownJobs.add(jobId);
  const wait = Math.max(0, (job.notBefore ?? 0) - ctx.clock());
  const timer = setTimeout(() => {
    runtime.timers.delete(timer);
    if (wait > LONGEST_TIMER_MS) {
      scheduleJob(ctx, client, jobId, job);
      return;
    }
    track(ctx, client, 'followUp', { jobId, messageId: job.messageId, attempt: job.attempt }, () =>
      runJob(ctx, client, jobId, job, job.indicators.map(fromStored)).finally(() => runtime.ownJobs.delete(jobId)),
    );
  }, Math.min(wait, LONGEST_TIMER_MS));
  timer.unref();
  runtime.timers.add(timer);
}
