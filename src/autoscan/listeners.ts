/**
 * Auto-scan wiring for the composition root: `registerAutoScan` before login, `resumePendingScans`
 * once logged in. Needs the Guilds, GuildMessages and MessageContent intents and the Message and
 * Channel partials (src/discord/client.ts sets them).
 */
import { Events } from 'discord.js';
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import { onMessageCreate } from './message-create.js';
import { runtimeOf } from './runtime.js';
import { onMessageUpdate } from './message-update.js';

export { resumePendingScans } from './resume.js';
export { autoScanIdle, stopFollowUps } from './runtime.js';

export interface AutoScanOptions {
  /** Unit of the retry backoff of indicators VirusTotal could not check; default one minute. */
  retryBaseMs?: number;
}

export function registerAutoScan(ctx: AppContext, client: Client, options: AutoScanOptions = {}): void {
  if (options.retryBaseMs !== undefined) runtimeOf(client).retryBaseMs = options.retryBaseMs;
  // The handlers return at once; each scan runs under the one catch site in autoscan/track.ts.
  client.on(Events.MessageCreate, (message) => onMessageCreate(ctx, client, message));
  client.on(Events.MessageUpdate, (before, after) => onMessageUpdate(ctx, client, before, after));
}
