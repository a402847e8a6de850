/**
 * vtguard_interaction_duration_seconds: from an interaction reaching the bot to its first response
 * (the callback Discord must get within 3 s: a reply, a deferral, an update). Measured at the wire,
 * from discord.js's REST `response` event for `POST /interactions/<id>/<token>/callback`, so every
 * command and button is timed without any of them doing anything.
 */
import { RESTEvents, type Client, type Interaction } from 'discord.js';
import type { Metrics } from '../metrics.js';

/** Interactions older than this without a callback are forgotten (their token is dead by then). */
const FORGET_AFTER_MS = 15 * 60_000;
/** Bound on interactions awaiting their first response, whatever Discord sends. */
const MAX_PENDING = 1000;
const CALLBACK = /^\/interactions\/(\d{1,25})\/[^/]+\/callback$/;

export function timeFirstResponses(client: Client, metrics: Metrics, nameOf: (interaction: Interaction) => string): void {
  const pending = new Map<string, { name: string; started: number }>();
  client.on('interactionCreate', (interaction) => {
    const now = performance.now();
    for (const [id, entry] of pending) {
      if (pending.size < MAX_PENDING && now - entry.started < FORGET_AFTER_MS) break;
      pending.delete(id); // Map keeps insertion order: the oldest go first
    }
    pending.set(interaction.id, { name: nameOf(interaction), started: now });
  });
  client.rest.on(RESTEvents.Response, (request) => {
    const id = CALLBACK.exec(request.path.split('?')[0] ?? '')?.[1];
    const entry = id === undefined ? undefined : pending.get(id);
    if (id === undefined || entry === undefined) return;
    pending.delete(id);
    metrics.observe('vtguard_interaction_duration_seconds', { interaction: entry.name }, (performance.now() - entry.started) / 1000);
  });
}
