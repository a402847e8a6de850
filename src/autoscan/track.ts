/**
 * The one catch site of every auto-scan entry point (new message, edit, resume, follow-up): a failure is
 * logged with a reference id and counted, and never reaches the event emitter or the process as an
 * unhandled rejection. The promise is tracked so shutdown and tests can wait for the work.
 */
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import { newRefId } from '../discord/present-error.js';
import { runtimeOf } from './runtime.js';

export type Entry = 'messageCreate' | 'messageUpdate' | 'resume' | 'followUp';

export function track(ctx: AppContext, client: Client, entry: Entry, fields: Record<string, unknown>, work: () => Promise<void>): void {
  const runtime = runtimeOf(client);
  // `then` so that even a synchronous throw inside `work` lands in the catch below.
  const run: Promise<void> = Promise.resolve()
    .then(work)
    .catch((error: unknown) => {
      const refId = newRefId();
      ctx.log.error({ module: 'autoscan', entry, refId, err: error, ...fields }, 'auto-scan failed');
      ctx.metrics.inc('vtguard_autoscan_failures_total', 'Auto-scan failures, each logged with a reference id', { entry });
    })
    .finally(() => runtime.inFlight.delete(run));
  runtime.inFlight.add(run);
}
