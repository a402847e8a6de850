/** The environment that points a bot (in-process config or a spawned process) at the two doubles. */
import type { DiscordDouble } from './discord-double.js';
import type { VtDouble } from './vt-double.js';

export function doublesEnv(discord: DiscordDouble, vt: VtDouble): Record<string, string> {
  return {
    DISCORD_TOKEN: discord.token,
    VT_API_KEY: vt.apiKey,
    VT_API_URL: vt.origin,
    DISCORD_API_URL: discord.apiUrl,
    ATTACHMENT_HOSTS: discord.cdnHost,
  };
}
