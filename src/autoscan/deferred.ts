/**
 * What the backlog refuses (it is full, or the author already holds their share, see backlog.ts) is
 * not dropped: it is stored as a deferred job of the same message, a follow-up that has not run yet
 * (`attempt: 0`), and scanned once there is room (attachments by reference, downloaded then). A
 * flood thus costs its author time, not anyone else's answers, and nothing posted goes unscanned.
 */
import type { Logger } from '../log.js';
import type { Planned } from '../scan/message-plan.js';
import { jobFor, type AutoScanJob, type JobMessage } from './jobs.js';
import type { AutoScanRuntime } from './runtime.js';

/** Stores and schedules the refused `items` of `message`. */
export async function deferRefused(rt: AutoScanRuntime, message: JobMessage, items: readonly Planned[], log: Logger): Promise<void> {
  if (items.length === 0) return;
  const job: AutoScanJob = { ...jobFor(message, items), attempt: 0, notBefore: rt.ctx.clock() + rt.retryBaseMs };
  const jobId = await rt.jobs.add(job);
  log.info({ deferredId: jobId, indicators: items.length }, 'auto-scan deferred until there is room');
  rt.schedule(jobId, job);
}
