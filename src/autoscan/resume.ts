/**
 * Start-up: re-runs the auto-scan jobs a previous process recorded but did not complete, so after a
 * crash every scanned message still gets exactly one answer. Before a resumed job answers, Discord
 * itself is asked whether the bot already replied to that message (the crash may have come between
 * sending and completing the job); the answer's nonce covers the same window for `delete` posts.
 * A follow-up (see follow-up.ts) not yet due is only scheduled again.
 */
import { Routes, SnowflakeUtil } from 'discord.js';
import type { APIMessage } from 'discord.js';
import { runsGuild } from '../discord/shard-of.js';
import { ownerOf } from './backlog.js';
import { autoScanJobs, type AutoScanJob } from './jobs.js';
import { runStoredJob, slotsOf } from './stored-job.js';
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
    // Shard processes share one store: a guild on another shard is that process's to answer.
    if (!runsGuild(ctx.config.sharding, payload.guildId)) continue;
    // Processes sharing a store: another live process holds this job (see src/store/job-claims.ts).
    if (!(await jobs.claim(id))) continue;
    runtime.ownJobs.add(id);
    runtime.handled.add(payload.messageId, payload.keys);
    // Accepted work is never dropped: a resumed job counts against the bound even past capacity.
    const slots = slotsOf(payload);
    const owner = ownerOf(payload.guildId, payload.authorId);
    runtime.backlog.reserve(slots, owner);
    runtime.track('resume', { jobId: id, messageId: payload.messageId }, () =>
      resumeJob(runtime, id, payload).finally(() => runtime.backlog.release(slots, owner)),
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
    await runtime.jobs.complete(jobId);
    return;
  }
  await runStoredJob(runtime, jobId, job);
}

/**
 * Whether the bot already answered: a reply to the message in its channel, or a log-channel post
 * naming it (`delete` posts there). Looks at the last 100 messages of each.
 */
async function alreadyAnswered({ ctx, client }: AutoScanRuntime, job: AutoScanJob): Promise<boolean> {
  // A follow-up (or deferred part) that never started cannot have answered; one that did looks
  // only at what was posted since, or it would take the message's other answers for its own
  // and drop its indicators.
  if (job.notBefore !== undefined && job.startedAt === undefined) return false;
  const { logChannel } = await ctx.store.settings.get(job.guildId);
  const self = client.user?.id;
  const after = job.startedAt === undefined ? job.messageId : SnowflakeUtil.generate({ timestamp: job.startedAt }).toString();
  for (const channelId of new Set([job.channelId, logChannel ?? job.channelId])) {
    const query = new URLSearchParams({ after, limit: '100' });
    // A log channel the bot can no longer read only means this check cannot see there.
    const recent = (await client.rest.get(Routes.channelMessages(channelId), { query }).catch(() => [])) as APIMessage[];
    const mine = recent.filter((m) => m.author.id === self);
    if (mine.some((m) => m.message_reference?.message_id === job.messageId || m.content.includes(job.messageId))) return true;
  }
  return false;
}
