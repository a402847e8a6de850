/**
 * Command registration at start-up: globally, or in DEV_GUILD_ID (instant updates). Only when what
 * Discord has differs from the registry — global updates take a while to propagate and every PUT
 * counts against a daily creation limit. A refusal is logged once and the bot keeps running:
 * auto-scan works without commands.
 */
import { Routes, type Client } from 'discord.js';
import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Fields Discord fills in when absent, so a missing field and its default compare equal. */
const DEFAULTS: Readonly<Record<string, Json>> = Object.freeze({
  type: 1, required: false, autocomplete: false, nsfw: false, default_member_permissions: null, options: [], description: '',
  name_localizations: null, description_localizations: null,
});
/** What we define and Discord echoes (localisations included: a corrected translation is re-registered); ids and versions are ignored. */
const COMPARED = ['type', 'name', 'description', 'options', 'required', 'choices', 'default_member_permissions', 'contexts', 'nsfw',
  'min_length', 'max_length', 'min_value', 'max_value', 'channel_types', 'autocomplete', 'value', 'name_localizations', 'description_localizations'] as const;

/** A localisation map in a stable key order; an empty one is the same as none. */
function localizations(raw: unknown): Json {
  if (typeof raw !== 'object' || raw === null) return null;
  const entries = Object.entries(raw as Record<string, unknown>).filter(([, v]) => typeof v === 'string').sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? null : Object.fromEntries(entries) as Json;
}

function normalise(value: unknown, isTopLevel: boolean): Json {
  if (Array.isArray(value)) return value.map((v) => normalise(v, false));
  if (typeof value !== 'object' || value === null) return (value ?? null) as Json;
  const record = value as Record<string, unknown>;
  const out: Record<string, Json> = {};
  for (const key of COMPARED) {
    // Top-level context menus have no description; options have no permissions/contexts.
    if (!isTopLevel && (key === 'default_member_permissions' || key === 'contexts' || key === 'nsfw')) continue;
    const raw = record[key] ?? DEFAULTS[key];
    if (raw === undefined) continue;
    if (key === 'contexts' && Array.isArray(raw)) out[key] = [...(raw as number[])].sort();
    else if (key === 'name_localizations' || key === 'description_localizations') out[key] = localizations(raw);
    else out[key] = normalise(raw, false);
  }
  if (isTopLevel && out.type !== 1) out.description = '';
  return out;
}

/** Order-insensitive at the top level (Discord lists commands in its own order). */
export function sameCommands(remote: readonly unknown[], local: readonly RESTPostAPIApplicationCommandsJSONBody[]): boolean {
  const key = (c: Json): string => JSON.stringify(c);
  const a = remote.map((c) => key(normalise(c, true))).sort();
  const b = local.map((c) => key(normalise(c, true))).sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Whether this process registers the commands: registration is one global (or DEV_GUILD_ID) PUT, so
 * with several shard processes only the one running shard 0 does it.
 */
export function registersCommands(sharding: Config['sharding']): boolean {
  return sharding.mode !== 'shards' || sharding.ids.includes(0);
}

/** Call once the client is ready (the application id is known then) with every command's definition. Never throws. */
export async function registerCommands(
  ctx: AppContext, client: Client, body: readonly RESTPostAPIApplicationCommandsJSONBody[],
): Promise<'registered' | 'unchanged' | 'failed'> {
  const log = ctx.log.child({ module: 'register' });
  const scope = ctx.config.devGuildId === undefined ? 'global' : `guild ${ctx.config.devGuildId}`;
  try {
    const applicationId = client.application?.id ?? client.user?.id;
    if (applicationId === undefined) throw new Error('Expected a ready client with an application id, got none');
    const route = ctx.config.devGuildId === undefined
      ? Routes.applicationCommands(applicationId)
      : Routes.applicationGuildCommands(applicationId, ctx.config.devGuildId);
    // Full localisation maps, not just the caller's, so they can be compared.
    const remote = await client.rest.get(route, { query: new URLSearchParams({ with_localizations: 'true' }) });
    if (Array.isArray(remote) && sameCommands(remote, body)) {
      log.info({ scope, count: body.length }, 'commands already up to date');
      return 'unchanged';
    }
    await client.rest.put(route, { body });
    log.info({ scope, count: body.length }, 'commands registered');
    return 'registered';
  } catch (err) {
    // discord.js puts each refused field on its own line; one log line must hold them all.
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, '; ');
    log.error({ scope, reason }, `Command registration failed (${scope}): ${reason}. Slash commands may be missing or outdated; auto-scan keeps working.`);
    return 'failed';
  }
}
