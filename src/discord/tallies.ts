/** This server's (guildId's) moderator tallies for the objects on a result message, read from the vote store. */
import { objectKey, type ModeratorTally } from '../core/objects.js';
import type { AppContext } from '../context.js';
import { outcomeTarget, type ScanOutcome } from '../scan/outcome.js';

export async function talliesFor(ctx: AppContext, guildId: string | null, outcomes: readonly ScanOutcome[]): Promise<Map<string, ModeratorTally>> {
  const keys = new Set<string>();
  for (const outcome of outcomes) {
    const target = outcomeTarget(outcome);
    if (target !== null && outcome.status === 'found') keys.add(objectKey(target));
  }
  const entries = await Promise.all([...keys].map(async (key) => [key, await ctx.store.votes.tally(guildId, key)] as const));
  return new Map(entries);
}
