/**
 * Runs a stored job (a resumed one, a follow-up, a deferred one): its indicators as stored, plus its
 * attachments downloaded now. Discord's CDN links expire, so the message is fetched again for fresh
 * ones; an attachment no longer on the message (deleted, edited away) is not scanned.
 */
import { Routes } from 'discord.js';
import type { APIAttachment, APIMessage } from 'discord.js';
import type { Indicator } from '../scan/outcome.js';
import { discardFiles, spoolPlanned } from '../scan/planned-files.js';
import { fromStored, toStoredAttachment, type AutoScanJob, type StoredAttachment } from './jobs.js';
import { runJob } from './message-scan.js';
import type { AutoScanRuntime } from './runtime.js';

/** Backlog slots a stored job holds while it runs: one per indicator and per attachment. */
export function slotsOf(job: AutoScanJob): number {
  return job.indicators.length + (job.attachments?.length ?? 0);
}

export async function runStoredJob(rt: AutoScanRuntime, jobId: string, stored: AutoScanJob): Promise<void> {
  const signal = AbortSignal.timeout(rt.jobDeadlineMs);
  // A follow-up records that it ran, so a resume tells its answer from earlier ones (resume.ts).
  const job = stored.notBefore === undefined ? stored : { ...stored, startedAt: rt.ctx.clock() };
  if (job !== stored) await rt.jobs.save(jobId, job);
  let files: Indicator[] = [];
  try {
    const downloads = await downloadAttachments(rt, job, signal);
    files = downloads.files;
    await runJob(rt, jobId, job, { indicators: [...job.indicators.map(fromStored), ...files], unfetched: downloads.unfetched, signal });
  } finally {
    await discardFiles(files);
  }
}

async function downloadAttachments(rt: AutoScanRuntime, job: AutoScanJob, signal: AbortSignal): Promise<{ files: Indicator[]; unfetched: StoredAttachment[] }> {
  const wanted = job.attachments ?? [];
  if (wanted.length === 0) return { files: [], unfetched: [] };
  const log = rt.ctx.log.child({ module: 'autoscan', guildId: job.guildId, messageId: job.messageId });
  const fresh = await currentAttachments(rt, job);
  if (fresh === undefined) return { files: [], unfetched: [...wanted] }; // Discord did not answer: later
  const items = wanted.flatMap((a) => {
    const now = fresh.get(a.id);
    if (now === undefined) log.info({ attachmentId: a.id }, 'attachment gone from the message; not scanned');
    return now === undefined ? [] : [{ kind: 'attachment' as const, value: a.id, attachment: { ...a, url: now.url } }];
  });
  const spooled = await spoolPlanned(rt.ctx.config, items, signal);
  // Host and size refusals will not change; a failed or cut-off download is tried again later.
  const unfetched = spooled.refused.filter((r) => r.reason === 'fetch' || r.reason === 'error').map((r) => toStoredAttachment(r.attachment));
  for (const r of spooled.refused) log.warn({ attachmentId: r.attachment.id, reason: r.reason, err: r.error }, 'attachment not scanned');
  return { files: spooled.indicators, unfetched };
}

/** The message's attachments by id (forwarded ones included), `new Map()` when it is gone, `undefined` on other failures. */
async function currentAttachments({ client }: AutoScanRuntime, job: AutoScanJob): Promise<Map<string, APIAttachment> | undefined> {
  try {
    const message = (await client.rest.get(Routes.channelMessage(job.channelId, job.messageId))) as APIMessage;
    const all = [...(message.attachments ?? []), ...(message.message_snapshots ?? []).flatMap((s) => s.message.attachments ?? [])];
    return new Map(all.filter((a) => typeof a.id === 'string' && typeof a.url === 'string').map((a) => [a.id, a]));
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    return status === 404 ? new Map() : undefined;
  }
}
