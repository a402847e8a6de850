/**
 * Discord's own AutoMod, fed by moderators (`automod_sync`): one keyword rule named
 * {@link RULE_NAME} holds `*domain*` for every domain this server's moderators confirmed malicious,
 * so Discord blocks a re-post before anyone sees it, even while the bot is down. Discord's limits
 * (1,000 keywords of at most 60 characters) are kept by dropping the oldest confirmations first.
 * The rule exempts exactly what the server exempted from auto-scan (exempt roles, ignored
 * channels), nobody else.
 *
 * `confirmMalicious` / `unconfirm` are what the features call: a malicious vote reaching the quorum
 * or a ban from a review card confirms (`confirmTargets`); a False positive removes.
 */
import { Routes } from 'discord.js';
import type { Client } from 'discord.js';
import { AutoModerationActionType, AutoModerationRuleEventType, AutoModerationRuleTriggerType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { APIAutoModerationAction, APIAutoModerationRule, RESTPostAPIAutoModerationRuleJSONBody } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import type { ObjectRef } from '../core/objects.js';
import { guildLocale, t } from '../core/i18n.js';
import { KeyedSerialQueue } from '../core/serial.js';
import { isAllowlisted } from '../store/allowlist.js';
import type { ConfirmedDomain } from '../store/confirmed.js';
import type { GuildSettings } from '../store/settings.js';

export const RULE_NAME = 'vt-guard: confirmed malicious';
/** Discord's limits on one keyword rule. */
export const MAX_KEYWORDS = 1000;
export const MAX_KEYWORD_LENGTH = 60;

export type SyncResult = 'synced' | 'removed' | 'unchanged' | 'off' | 'missing-permission';

/**
 * One sync at a time per guild, so two votes at once cannot both create the rule. Keyed by client
 * (one per process or shard) rather than a module-level queue, so separate apps never share it.
 */
const queues = new WeakMap<Client, KeyedSerialQueue>();

/** The rule's keywords: `*domain*` for each domain that fits, the newest {@link MAX_KEYWORDS}, oldest first. */
export function keywordsFor(confirmed: readonly ConfirmedDomain[]): string[] {
  const fitting = [...confirmed].sort((a, b) => a.at - b.at).map((d) => `*${d.domain}*`).filter((k) => k.length <= MAX_KEYWORD_LENGTH);
  return fitting.slice(-MAX_KEYWORDS);
}

/** A moderator confirmed `domain` malicious in `guildId`: remember it and update the rule. */
export async function confirmMalicious(ctx: AppContext, client: Client, guildId: string, domain: string): Promise<SyncResult> {
  const settings = await ctx.store.settings.get(guildId);
  // Never block a site the server (or the built-in list) declared safe, whatever a vote says.
  if (isAllowlisted(domain, settings.allowlist)) return 'unchanged';
  const added = await ctx.store.confirmed.add(guildId, domain, ctx.clock());
  return added ? syncAutomodRule(ctx, client, guildId) : 'unchanged';
}

/** `domain` was a false positive: forget it and take it out of the rule. */
export async function unconfirm(ctx: AppContext, client: Client, guildId: string, domain: string): Promise<SyncResult> {
  const removed = await ctx.store.confirmed.remove(guildId, domain);
  return removed ? syncAutomodRule(ctx, client, guildId) : 'unchanged';
}

/**
 * A review card's Ban confirms every domain and URL host on it (`confirm`); its False positive takes
 * them out again. IPs and files have no host a keyword rule could hold.
 */
export async function confirmTargets(ctx: AppContext, client: Client, guildId: string, targets: readonly ObjectRef[], confirm: boolean): Promise<void> {
  for (const target of targets) {
    const host = await hostOfTarget(ctx, target);
    if (host === null) continue;
    if (confirm) await confirmMalicious(ctx, client, guildId, host);
    else await unconfirm(ctx, client, guildId, host);
  }
}

/** A domain's name, or a URL's host (its text comes from the targets store); null otherwise. */
async function hostOfTarget(ctx: AppContext, target: ObjectRef): Promise<string | null> {
  if (target.kind === 'domain') return target.id.toLowerCase();
  if (target.kind !== 'url') return null;
  const url = await ctx.store.targets.valueOf(target);
  if (url === undefined) return null;
  try {
    return new URL(url).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

/**
 * Makes the guild's rule match its confirmed domains and settings: created, updated, or deleted
 * (when `automod_sync` is off or nothing is confirmed). Needs Manage Server; without it nothing is
 * sent and the result says so (`/vt-config setup` lists it).
 */
export function syncAutomodRule(ctx: AppContext, client: Client, guildId: string): Promise<SyncResult> {
  let queue = queues.get(client);
  if (queue === undefined) queues.set(client, (queue = new KeyedSerialQueue()));
  return queue.run(guildId, () => sync(ctx, client, guildId));
}

async function sync(ctx: AppContext, client: Client, guildId: string): Promise<SyncResult> {
  const log = ctx.log.child({ module: 'automod', guildId });
  const me = client.guilds.cache.get(guildId)?.members.me ?? null;
  if (me?.permissions.has(PermissionFlagsBits.ManageGuild) !== true) {
    log.warn('AutoMod rule not synced: the bot lacks Manage Server');
    return 'missing-permission';
  }
  const settings = await ctx.store.settings.get(guildId);
  const rules = await client.rest.get(Routes.guildAutoModerationRules(guildId)) as APIAutoModerationRule[];
  const ours = Array.isArray(rules) ? rules.find((r) => r.name === RULE_NAME && r.creator_id === client.user?.id) : undefined;
  const keywords = settings.automodSync ? keywordsFor(await ctx.store.confirmed.list(guildId)) : [];
  if (keywords.length === 0) {
    if (ours === undefined) return settings.automodSync ? 'unchanged' : 'off';
    await client.rest.delete(Routes.guildAutoModerationRule(guildId, ours.id), { reason: 'vt-guard: no confirmed malicious domains, or automod_sync off' });
    log.info('AutoMod rule removed');
    return 'removed';
  }
  // Discord shows the block message to the member who posted: in the server's language.
  const blockMessage = t(guildLocale(settings.language, client.guilds.cache.get(guildId)?.preferredLocale), 'automod.blocked');
  const body = ruleBody(settings, keywords, blockMessage);
  if (ours === undefined) await client.rest.post(Routes.guildAutoModerationRules(guildId), { body, reason: 'vt-guard: automod_sync' });
  else await client.rest.patch(Routes.guildAutoModerationRule(guildId, ours.id), { body, reason: 'vt-guard: automod_sync' });
  log.info({ keywords: keywords.length }, 'AutoMod rule synced');
  return 'synced';
}

function ruleBody(settings: GuildSettings, keywords: string[], blockMessage: string): RESTPostAPIAutoModerationRuleJSONBody {
  // Discord caps the custom message at 150 characters.
  const actions: APIAutoModerationAction[] = [{ type: AutoModerationActionType.BlockMessage, metadata: { custom_message: blockMessage.slice(0, 150) } }];
  if (settings.logChannel !== null) actions.push({ type: AutoModerationActionType.SendAlertMessage, metadata: { channel_id: settings.logChannel } });
  return {
    name: RULE_NAME,
    event_type: AutoModerationRuleEventType.MessageSend,
    trigger_type: AutoModerationRuleTriggerType.Keyword,
    trigger_metadata: { keyword_filter: keywords },
    actions,
    enabled: true,
    exempt_roles: settings.exemptRoles.slice(0, 20),
    exempt_channels: settings.ignoredChannels.slice(0, 50),
  };
}
