/**
 * Start-up: re-runs the auto-scan jobs a previous process recorded but did not complete, so after a
 * crash every scanned message still gets exactly one answer. Before a resumed job answers, Discord
 * itself is asked whether the bot already replied to that message (the crash may have come between
 * sending and completing the job); the answer's nonce covers the same window for `delete` posts.
 * A follow-up (see follow-up.ts) not yet due is only scheduled again.
 */
import { Routes, SnowflakeUtil } from 'discord.js';
import type { APIMessage } from 'discord.js';
import { autoScanJobs, fromStored, type AutoScanJob } from './jobs.js';
import { runJob } from './message-scan.js';
import type { AutoScanRuntime } from './runtime.js';

/**
 * Starts every pending job of an earlier run and returns without waiting for them (under a small
 * quota they may take hours); their answers arrive as they complete.
 */
export async function resumePendingScans(runtime: AutoScanRuntime): Promise<void> {
  const { ctx } = runtime;
  const log = ctx.log.child({ module: 'autoscan' });
  const jobs = autoScanJobs(ctx);
  const pending = await jobs.pending();
  let resumed = 0;
  for (const { id, payload } of pending) {
    if (runtime.ownJobs.has(id)) continue;
    // Processes sharing a store: another live process holds this job (see src/store/job-claims.ts).
    if (!(await jobs.claim(id))) continue;
    runtime.ownJobs.add(id);
    runtime.handled.add(payload.messageId, payload.keys);
    // Accepted work is never dropped: a resumed job counts against the bound even past capacity.
    const slots = payload.indicators.length;
    runtime.backlog.reserve(slots);
    runtime.track('resume', { jobId: id, messageId: payload.messageId }, () =>
      resumeJob(runtime, id, payload).finally(() => runtime.backlog.release(slots)),
    );
    resumed++;
  }
  if (resumed > 0) log.info({ resumed }, 'resuming auto-scans left pending by the previous run');
}

async function resumeJob(runtime: AutoScanRuntime, jobId: string, job: AutoScanJob): Promise<void> {
  // A follow-up not yet due has not run, so it has not answered either: it keeps waiting.
  if (job.notBefore !== undefined && job.notBefore > runtime.ctx.clock()) {
    runtime.schedule(jobId, job);
    return;
  }
  if (await alreadyAnswered(runtime, job)) {
    await autoScanJobs(runtime.ctx).complete(jobId);
    return;
  }
  await runJob(runtime, jobId, job, { indicators: job.indicators.map(fromStored) });
}

/**
 * Whether the bot already answered: a reply to the message in its channel, or a log-channel post
 * naming it (`delete` posts there). Looks at the last 100 messages of each.
 */
async function alreadyAnswered({ ctx, client }: AutoScanRuntime, job: AutoScanJob): Promise<boolean> {
  const { logChannel } = await ctx.store.settings.get(job.guildId);
  const self = client.user?.id;
  // The first scan of the message may have answered already; a follow-up looks only at what was
  // posted once it was due, or it would take that answer for its own and drop its indicators.
  const after = job.notBefore === undefined ? job.messageId : SnowflakeUtil.generate({ timestamp: job.notBefore }).toString();
  for (const channelId of new Set([job.channelId, logChannel ?? job.channelId])) {
    const query = new URLSearchParams({ after, limit: '100' });
    // A log channel the bot can no longer read only means this check cannot see there.
    const recent = (await client.rest.get(Routes.channelMessages(channelId), { query }).catch(() => [])) as APIMessage[];
    const mine = recent.filter((m) => m.author.id === self);
    if (mine.some((m) => m.message_reference?.message_id === job.messageId || m.content.includes(job.messageId))) return true;
  }
  return false;
}
