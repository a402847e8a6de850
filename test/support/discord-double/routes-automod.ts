/**
 * Discord's AutoMod rules (`/guilds/{id}/auto-moderation/rules`), with the rules Discord enforces:
 * Manage Server, at most 6 keyword rules per guild, at most 1,000 keywords of 60 characters each,
 * a name of 1–100 characters. Rules are kept per guild in the store (`double.automodRules(guildId)`);
 * every change is echoed to the gateway as Discord does (AUTO_MODERATION_RULE_*).
 */
import { AutoModerationRuleTriggerType, GatewayDispatchEvents, PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { APIAutoModerationRule } from 'discord-api-types/v10';
import { memberPermissions } from './fixtures.js';
import { DiscordHttpError } from './rest.js';
import type { Route } from './rest.js';
import type { Dispatch } from './routes-messages.js';
import type { DoubleStore } from './store.js';

type RuleBody = Partial<Pick<APIAutoModerationRule, 'name' | 'event_type' | 'trigger_type' | 'trigger_metadata' | 'actions' | 'enabled' | 'exempt_roles' | 'exempt_channels'>>;

export function automodRoutes(store: DoubleStore, dispatch: Dispatch): Route[] {
  const route = (method: string, pattern: RegExp, handle: Route['handle']): Route => ({ method, pattern, auth: true, handle });
  const rulesOf = (guildId: string | undefined): APIAutoModerationRule[] => {
    const guild = store.guildById(guildId);
    if (!guild) throw new DiscordHttpError(404, 10004, 'Unknown Guild');
    if ((memberPermissions(guild, guild.members.bot) & P.ManageGuild) === 0n) throw new DiscordHttpError(403, 50013, 'Missing Permissions');
    const rules = store.automodRules.get(guild.id) ?? [];
    store.automodRules.set(guild.id, rules);
    return rules;
  };
  const find = (rules: APIAutoModerationRule[], id: string | undefined): APIAutoModerationRule => {
    const rule = rules.find((r) => r.id === id);
    if (!rule) throw new DiscordHttpError(404, 10066, 'Unknown auto moderation rule');
    return rule;
  };
  const base = String.raw`^\/guilds\/(\d+)\/auto-moderation\/rules`;
  return [
    route('GET', new RegExp(`${base}$`), (_req, [guildId]) => ({ status: 200, body: rulesOf(guildId) })),
    route('GET', new RegExp(`${base}\\/(\\d+)$`), (_req, [guildId, id]) => ({ status: 200, body: find(rulesOf(guildId), id) })),
    route('POST', new RegExp(`${base}$`), (req, [guildId]) => {
      const rules = rulesOf(guildId);
      const body = (req.body ?? {}) as RuleBody;
      const keywordRules = rules.filter((r) => r.trigger_type === AutoModerationRuleTriggerType.Keyword).length;
      if (body.trigger_type === AutoModerationRuleTriggerType.Keyword && keywordRules >= 6) throw new DiscordHttpError(400, 30035, 'Maximum number of rules of this type reached');
      validate(body, true);
      const rule: APIAutoModerationRule = {
        id: store.ids.next(), guild_id: guildId ?? '', creator_id: store.applicationId, name: body.name ?? '',
        event_type: body.event_type ?? 1, trigger_type: body.trigger_type ?? AutoModerationRuleTriggerType.Keyword,
        trigger_metadata: body.trigger_metadata ?? {}, actions: body.actions ?? [], enabled: body.enabled ?? false,
        exempt_roles: body.exempt_roles ?? [], exempt_channels: body.exempt_channels ?? [],
      };
      rules.push(rule);
      dispatch(GatewayDispatchEvents.AutoModerationRuleCreate, rule);
      return { status: 200, body: rule };
    }),
    route('PATCH', new RegExp(`${base}\\/(\\d+)$`), (req, [guildId, id]) => {
      const rule = find(rulesOf(guildId), id);
      const body = (req.body ?? {}) as RuleBody;
      validate(body, false);
      // The trigger type of a rule cannot change.
      const { trigger_type: _fixed, ...changes } = body;
      Object.assign(rule, changes);
      dispatch(GatewayDispatchEvents.AutoModerationRuleUpdate, rule);
      return { status: 200, body: rule };
    }),
    route('DELETE', new RegExp(`${base}\\/(\\d+)$`), (_req, [guildId, id]) => {
      const rules = rulesOf(guildId);
      const rule = find(rules, id);
      rules.splice(rules.indexOf(rule), 1);
      dispatch(GatewayDispatchEvents.AutoModerationRuleDelete, rule);
      return { status: 204 };
    }),
  ];
}

function validate(body: RuleBody, creating: boolean): void {
  const errors: Record<string, unknown> = {};
  const bad = (path: string, code: string): void => void (errors[path] = { _errors: [{ code, message: `Invalid ${path}` }] });
  if (creating || body.name !== undefined) {
    if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) bad('name', 'BASE_TYPE_BAD_LENGTH');
  }
  if (creating && (!Array.isArray(body.actions) || body.actions.length === 0)) bad('actions', 'BASE_TYPE_REQUIRED');
  const keywords = body.trigger_metadata?.keyword_filter;
  if (keywords !== undefined) {
    if (!Array.isArray(keywords) || keywords.length > 1000) bad('trigger_metadata.keyword_filter', 'BASE_TYPE_MAX_LENGTH');
    else keywords.forEach((k, i) => {
      if (typeof k !== 'string' || k.length < 1 || k.length > 60) bad(`trigger_metadata.keyword_filter.${String(i)}`, 'BASE_TYPE_BAD_LENGTH');
    });
  }
  if (Object.keys(errors).length > 0) throw new DiscordHttpError(400, 50035, 'Invalid Form Body', errors);
}
