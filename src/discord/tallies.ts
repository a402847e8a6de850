/** Moderator tallies for the objects in a reply, read from the vote store. */
import type { AppContext } from '../context.js';
import type { ScanOutcome } from '../scan/outcome.js';
import { objectKey, outcomeTarget, type ModeratorTally } from './render/card.js';

export async function talliesFor(ctx: AppContext, outcomes: readonly ScanOutcome[]): Promise<Map<string, ModeratorTally>> {
  const keys = new Set<string>();
  for (const outcome of outcomes) {
    const target = outcomeTarget(outcome);
    if (target !== null && outcome.status === 'found') keys.add(objectKey(target.kind, target.id));
  }
  const entries = await Promise.all([...keys].map(async (key) => [key, await ctx.store.votes.tally(key)] as const));
  return new Map(entries);
}
