/** The settings that apply to an interaction: its guild's, or the defaults outside a guild. */
import type { AppContext } from '../context.js';
import { DEFAULT_SETTINGS, type GuildSettings } from '../store/settings.js';

export async function settingsFor(ctx: AppContext, guildId: string | null): Promise<GuildSettings> {
  return guildId === null ? { ...DEFAULT_SETTINGS, allowlist: [] } : ctx.store.settings.get(guildId);
}
