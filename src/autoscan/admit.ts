/**
 * Which planned items of a message auto-scan takes on now: the plan's per-message cap has already
 * cut the rest (it is not scanned, see message-plan.ts); the backlog's bounds (backlog.ts) decide
 * what runs now and what is deferred (deferred.ts). Both are logged and counted.
 */
import type { Logger } from '../log.js';
import type { Plan, Planned } from '../scan/message-plan.js';
import type { AutoScanRuntime } from './runtime.js';

const REFUSED = ['vtguard_autoscan_refused_total', 'Auto-scan indicators not scanned because a bound was reached'] as const;

/**
 * Applies the per-message cap (the rest is not scanned) and the backlog's bounds (the rest is
 * deferred, see deferred.ts); both are logged and counted.
 */
export function admit(rt: AutoScanRuntime, log: Logger, planned: Plan, owner: string): { items: Planned[]; refused: Planned[] } {
  if (planned.overCap > 0) {
    log.warn({ skipped: planned.overCap }, 'too many indicators in one message; the rest are not scanned');
    rt.ctx.metrics.inc(...REFUSED, { reason: 'per-message' }, planned.overCap);
  }
  const ownerFull = rt.backlog.heldBy(owner) + planned.items.length > rt.backlog.perOwner;
  const granted = rt.backlog.take(planned.items.length, owner);
  if (granted < planned.items.length) {
    const reason = ownerFull ? 'author' : 'backlog';
    log.warn({ refused: planned.items.length - granted, reason, backlog: rt.backlog.capacity }, 'auto-scan bound reached; indicators deferred');
    rt.ctx.metrics.inc(...REFUSED, { reason }, planned.items.length - granted);
  }
  return { items: planned.items.slice(0, granted), refused: planned.items.slice(granted) };
}
