/**
 * What the backlog refuses (it is full, or the author already holds their share, see backlog.ts) is
 * not dropped: it is stored as a deferred job of the same message, a follow-up that has not run yet
 * (`attempt: 0`), and scanned once there is room. A flood thus costs its author time, not anyone
 * else's answers, and nothing posted goes unscanned.
 */
import type { Logger } from '../log.js';
import type { Planned } from '../scan/message-plan.js';
import { plannedKey } from '../scan/message-plan.js';
import type { MessageRef } from '../discord/send.js';
import { newNonce, type AutoScanJob, type StoredIndicator } from './jobs.js';
import type { AutoScanRuntime } from './runtime.js';

/** Stores and schedules the refused `items` of `message` (attachments are not: their links expire). */
export async function deferRefused(rt: AutoScanRuntime, message: MessageRef & { guildId: string }, items: readonly Planned[], log: Logger): Promise<void> {
  if (items.length === 0) return;
  const indicators: StoredIndicator[] = [];
  for (const item of items) if (item.kind !== 'attachment') indicators.push({ kind: item.kind, value: item.value });
  if (indicators.length === 0) return;
  const job: AutoScanJob = {
    type: 'autoscan',
    guildId: message.guildId,
    channelId: message.channelId,
    messageId: message.id,
    authorId: message.author?.id ?? null,
    indicators,
    keys: items.filter((i) => i.kind !== 'attachment').map(plannedKey),
    nonce: newNonce(),
    attempt: 0,
    notBefore: rt.ctx.clock() + rt.retryBaseMs,
  };
  const jobId = await rt.jobs.add(job);
  log.info({ deferredId: jobId, indicators: items.length }, 'auto-scan deferred until there is room');
  rt.schedule(jobId, job);
}
