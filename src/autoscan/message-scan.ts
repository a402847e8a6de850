/**
 * The auto-scan of one message event (a new message, an edit, a late link embed): plan what to look
 * up, download attachments at once, record the job, scan, answer once, store a follow-up for what
 * VirusTotal could not answer, complete the job. Resumed jobs and follow-ups enter at `runJob`.
 */
import { DiscordAPIError } from 'discord.js';
import type { Logger } from '../log.js';
import { collect, plan, plannedKey, type Plan, type ScannableMessage } from '../scan/message-plan.js';
import { isFlagged, outcomeTarget, type Indicator, type ScanOutcome } from '../scan/outcome.js';
import { objectKey } from '../core/objects.js';
import { historyText, recordHistory } from '../discord/history-record.js';
import { discardFiles, spoolPlanned } from '../scan/planned-files.js';
import type { GuildSettings } from '../store/settings.js';
import type { MessageRef } from '../discord/send.js';
import { answerScannedMessage } from './answer.js';
import { askToUpload, escalate } from './review-hooks.js';
import { followUpOf, MAX_ATTEMPTS, needsRetry } from './follow-up.js';
import { admit } from './admit.js';
import { ownerOf } from './backlog.js';
import { deferRefused } from './deferred.js';
import { jobFor, toStoredAttachment, type AutoScanJob, type StoredAttachment } from './jobs.js';
import type { AutoScanRuntime } from './runtime.js';
import { outOfScope, type ScopedMessage } from './scope.js';

const SKIPPED = ['vtguard_autoscan_attachments_skipped_total', 'Attachments not downloaded'] as const;

export async function scanMessage(rt: AutoScanRuntime, message: ScannableMessage & MessageRef & ScopedMessage): Promise<void> {
  const { ctx } = rt;
  if (message.guildId === null) return; // settings are per guild; DMs are not auto-scanned
  // The listener let through only messages that may hold something (listeners.ts): most chat never gets here.
  const collected = collect(message);
  const settings = await ctx.store.settings.get(message.guildId);
  if (!settings.autoscanLinks && !settings.autoscanAttachments) return;
  const log = ctx.log.child({ module: 'autoscan', guildId: message.guildId, messageId: message.id });
  const skipped = outOfScope(settings, message);
  if (skipped !== null) return void log.debug({ reason: skipped }, 'message out of auto-scan scope');
  const planned = await withoutCachedClean(rt, plan(collected, settings, rt.handled.of(message.id)), settings, message);
  if (planned.items.length === 0) return;
  const owner = ownerOf(message.guildId, message.author?.id ?? null);
  const admitted = admit(rt, log, planned, owner);
  // Processes sharing a store all receive the event: each item goes to the one that marks it first.
  const mine = new Set(await ctx.store.handled.mark(message.id, [...admitted.items, ...admitted.refused].map(plannedKey)));
  const items = admitted.items.filter((item) => mine.has(plannedKey(item)));
  const refused = admitted.refused.filter((item) => mine.has(plannedKey(item)));
  rt.backlog.release(admitted.items.length - items.length, owner);
  const where = { ...message, guildId: message.guildId };
  // Marked in the same synchronous step as the plan was read: an edit or a late embed handled
  // meanwhile sees these (and the deferred ones, which their job scans) and does not scan them again.
  rt.handled.add(message.id, [...items, ...refused].map(plannedKey));
  await deferRefused(rt, where, refused, log);
  if (items.length === 0) return;
  let held = items.length;
  let indicators: Indicator[] = [];
  // One deadline for the whole job, downloads included: what is still waiting then ends as
  // 'error' and is followed up (follow-up.ts), so a stalled CDN or VirusTotal holds no slot forever.
  const signal = AbortSignal.timeout(rt.jobDeadlineMs);
  // Stored before any download or request, attachments by reference: a crash from here on leaves
  // it pending, and the resume fetches the message again (stored-job.ts).
  const job = jobFor(where, items);
  const jobId = await rt.jobs.add(job);
  rt.ownJobs.add(jobId);
  try {
    const spooled = await spoolPlanned(ctx.config, items, signal);
    indicators = spooled.indicators;
    for (const { attachment, reason, error } of spooled.refused) {
      // A foreign host means a forged or proxied attachment URL: worth a warning, never a fetch.
      const fields = { attachmentId: attachment.id, size: attachment.size, reason };
      if (reason === 'size') log.info({ ...fields, maxBytes: ctx.config.maxFileBytes }, 'attachment over the size limit, not downloaded');
      else log.warn({ ...fields, host: hostOf(attachment.url), err: error }, 'attachment not scanned');
      ctx.metrics.inc(...SKIPPED, { reason });
    }
    rt.backlog.release(spooled.refused.length, owner);
    held -= spooled.refused.length;
    // A failed or cut-off download is followed up like a failed look-up; host and size refusals are final.
    const unfetched = spooled.refused.filter((r) => r.reason === 'fetch' || r.reason === 'error').map((r) => toStoredAttachment(r.attachment));
    if (indicators.length === 0 && unfetched.length === 0) {
      await rt.jobs.complete(jobId);
      return;
    }
    await runJob(rt, jobId, job, { indicators, unfetched, maskedTexts: planned.maskedTexts, settings, signal });
  } finally {
    rt.ownJobs.delete(jobId); // over, or left for the next process's resume
    // Not completed (it failed): let its claim go, so a shared store's sweep runs it again (app.ts).
    await rt.jobs.release(jobId).catch(() => undefined);
    await discardFiles(indicators);
    rt.backlog.release(held, owner);
  }
}

/**
 * Drops the items VirusTotal has already answered clean (a cached report): without `report_clean`
 * they need no answer, so they take no backlog slot, no job and no place in the quota queue. Busy
 * servers post the same few sites over and over; this keeps them from filling the backlog that a
 * new link needs. Attachments are never known before their download, and flagged or unknown items
 * go the whole way (they are answered, exactly once, through a job).
 */
async function withoutCachedClean(rt: AutoScanRuntime, planned: Plan, settings: GuildSettings, message: MessageRef): Promise<Plan> {
  if (settings.reportClean) return planned;
  const policy = { submitUrls: settings.submitUrls, uploadFiles: settings.uploadFiles };
  const known = await Promise.all(planned.items.map((item) => (item.kind === 'attachment' ? Promise.resolve(undefined) : rt.ctx.scanner.peek(item, policy))));
  const clean = planned.items.filter((_, i) => {
    const outcome = known[i];
    return outcome !== undefined && outcome.status === 'found' && !isFlagged(outcome, settings.maliciousThreshold);
  });
  if (clean.length === 0) return planned;
  rt.handled.add(message.id, clean.map(plannedKey));
  await recordCleanSightings(rt, message, clean.map((item) => known[planned.items.indexOf(item)]).filter((o) => o !== undefined));
  rt.ctx.metrics.inc('vtguard_autoscan_indicators_total', 'Indicators auto-scanned', {}, clean.length);
  return { ...planned, items: planned.items.filter((item) => !clean.includes(item)) };
}

/**
 * The audit trail still hears of a link answered clean from the cache: a retro alert must find every
 * message that held it. Processes sharing a store record it once (the first to mark the sighting).
 */
async function recordCleanSightings(rt: AutoScanRuntime, message: MessageRef, outcomes: readonly ScanOutcome[]): Promise<void> {
  const keyed = outcomes.flatMap((outcome) => {
    const target = outcomeTarget(outcome);
    return target === null ? [] : [{ outcome, key: objectKey(target) }];
  });
  const mine = new Set(await rt.ctx.store.handled.mark(message.id, keyed.map((k) => `seen:${k.key}`)).catch(() => []));
  const where = { channelId: message.channelId, messageId: message.id, ...(message.author ? { authorId: message.author.id } : {}) };
  const entries = keyed.filter((k) => mine.has(`seen:${k.key}`)).map(({ outcome, key }) => ({
    kind: 'scan' as const, ...where, key, text: historyText(outcome.indicator), verdict: 'clean',
  }));
  if (entries.length === 0) return;
  const { id: messageId, guildId } = message; // the closure below must not hold the message
  // Written in the background, tracked like all auto-scan work (a stop waits for it): on a busy
  // server the trail's next write gathers thousands of entries, and awaiting it here held every one
  // of those messages, with its discord.js objects, until it landed.
  rt.track('history', { messageId }, () => recordHistory(rt.ctx, guildId, entries));
}

/** What a fresh message's job brings beyond the stored job. */
export interface JobExtras {
  /** The indicators as scanned now (spooled files); resumed jobs use the stored ones. */
  indicators: readonly Indicator[];
  maskedTexts?: ReadonlyMap<string, string>;
  /** The settings the caller just read (a fresh message); resumed jobs read them here. */
  settings?: GuildSettings;
  /** Attachments whose download failed, to try again in the follow-up. */
  unfetched?: readonly StoredAttachment[];
  /** The job's deadline when the caller started it already (a fresh message's downloads). */
  signal?: AbortSignal;
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
  const turn = { guildId: job.guildId, authorId: job.authorId ?? '-' };
  // An aborted scan ends as 'error' (the scanner never throws), and is followed up below.
  const signal = extras.signal ?? AbortSignal.timeout(rt.jobDeadlineMs);
  const scan = (indicator: Indicator): Promise<ScanOutcome> => ctx.scanner.scan(indicator, { priority: 'autoscan', policy, signal });
  // A file a moderator allowlisted by its hash (review card) is not looked up again in this server.
  const allowed = new Set(before.allowlistHashes);
  const wanted = extras.indicators.filter((i) => i.kind !== 'file' || !allowed.has(i.file.sha256.toLowerCase()));
  const outcomes = await Promise.all(wanted.map((indicator) => rt.fair.run(turn, () => scan(indicator), signal)));
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
  const where = { ...message, guildId: job.guildId };
  // "Message flagged" point: the answer (and review card) is out; history can attach here too.
  const onFlagged = (cardId: string | null): Promise<void> => escalate(ctx, client, settings, where, cardId)
    .catch((err: unknown) => log.warn({ err }, 'escalation failed'));
  const answered = await answerScannedMessage(ctx, client, answerSettings, scanned, onFlagged).catch((error: unknown) => {
    // Missing permissions or a deleted channel will not heal on a retry after restart: give up on
    // this answer (warn) and complete the job. Anything else propagates and leaves it pending.
    if (!(error instanceof DiscordAPIError) || (error.status !== 403 && error.status !== 404)) throw error;
    log.warn({ status: error.status, code: error.code, action: settings.action }, 'Discord refused the auto-scan answer');
    return 'refused' as const;
  });
  await askToUpload(ctx, client, settings, where, outcomes).catch((err: unknown) => log.warn({ err }, 'could not post a consent card'));
  const failed = outcomes.filter(needsRetry);
  for (const o of failed) log.warn({ status: o.status, kind: o.indicator.kind }, 'indicator could not be checked');
  const unfetched = extras.unfetched ?? [];
  // Stored before the job is completed, so a crash in between cannot lose these indicators.
  if (failed.length > 0 || unfetched.length > 0) await retryLater(rt, job, failed, unfetched, log);
  ctx.metrics.inc('vtguard_autoscan_answers_total', 'Auto-scanned message events by answer', { answered });
  await rt.jobs.complete(jobId);
  log.debug({ answered, indicators: outcomes.length }, 'auto-scan done');
}

/** Stores and schedules the follow-up of `failed`, or gives up on them after the last attempt. */
async function retryLater(rt: AutoScanRuntime, job: AutoScanJob, failed: readonly ScanOutcome[], unfetched: readonly StoredAttachment[], log: Logger): Promise<void> {
  const { ctx } = rt;
  const next = followUpOf(job, failed, rt.retryBaseMs, ctx.clock(), unfetched);
  if (!next) {
    log.warn({ attempts: MAX_ATTEMPTS, indicators: failed.length, statuses: failed.map((o) => o.status) }, 'giving up on indicators VirusTotal could not check');
    ctx.metrics.inc('vtguard_autoscan_gave_up_total', 'Auto-scan indicators left unchecked after every attempt failed', {}, failed.length + unfetched.length);
    return;
  }
  const nextId = await rt.jobs.add(next);
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
