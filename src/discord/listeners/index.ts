/**
 * Auto-scan wiring for the composition root: `registerAutoScan` before login, `resumePendingScans`
 * once logged in. Needs the Guilds, GuildMessages and MessageContent intents and the Message and
 * Channel partials (src/discord/client.ts sets them).
 */
import { Events } from 'discord.js';
import type { Client } from 'discord.js';
import type { AppContext } from '../../context.js';
import { onMessageCreate } from './message-create.js';
import { onMessageUpdate } from './message-update.js';

export { resumePendingScans } from '../autoscan/resume.js';
export { autoScanIdle } from '../autoscan/runtime.js';

export function registerAutoScan(ctx: AppContext, client: Client): void {
  // The handlers return at once; each scan runs under the one catch site in autoscan/track.ts.
  client.on(Events.MessageCreate, (message) => onMessageCreate(ctx, client, message));
  client.on(Events.MessageUpdate, (before, after) => onMessageUpdate(ctx, client, before, after));
}
