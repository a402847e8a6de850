/**
 * REST routes about the bot itself and the guild: gateway discovery, users, the application,
 * command registration (with Discord's name/description rules), guild, channel and member look-ups.
 */
import { ApplicationCommandType, ApplicationFlags, ApplicationIntegrationType, InteractionContextType } from 'discord-api-types/v10';
import type {
  APIApplication,
  APIApplicationCommand,
  APIGuildMember,
  RESTGetAPIGatewayBotResult,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { allMembers, guildChannels, guildCreatePayload, memberObject, userObject } from './fixtures.js';
import type { GuildFixture } from './fixtures.js';
import { DiscordHttpError } from './rest.js';
import { commandLocalizationProblems } from './validate.js';
import type { Route, RestResponse } from './rest.js';
import type { DoubleStore } from './store.js';

export interface AppRouteContext {
  store: DoubleStore;
  gatewayUrl: () => string;
  joinedAt: string;
  /** What GET /gateway/bot recommends. */
  shardCount: number;
}

const ok = (body: unknown): RestResponse => ({ status: 200, body });

/** Applications in < 100 guilds run with these: intents allowed, but "limited". */
export const APPLICATION_FLAGS = ApplicationFlags.GatewayMessageContentLimited | ApplicationFlags.GatewayGuildMembersLimited |
  ApplicationFlags.ApplicationCommandBadge;

export function appRoutes(ctx: AppRouteContext): Route[] {
  const { store } = ctx;
  const route = (method: string, pattern: RegExp, handle: Route['handle']): Route => ({ method, pattern, auth: true, handle });
  return [
    route('GET', /^\/gateway\/bot$/, () => ok({
      url: ctx.gatewayUrl(), shards: ctx.shardCount,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
    } satisfies RESTGetAPIGatewayBotResult)),
    route('GET', /^\/gateway$/, () => ok({ url: ctx.gatewayUrl() })),
    route('GET', /^\/users\/@me$/, () => ok(store.botUser)),
    route('GET', /^\/users\/(\d+)$/, (_req, [id]) => {
      const m = store.allGuilds().flatMap(allMembers).find((x) => x.id === id);
      if (!m) throw new DiscordHttpError(404, 10013, 'Unknown User');
      return ok(userObject(m));
    }),
    route('GET', /^\/applications\/@me$/, () => ok(application(store))),
    ...commandRoutes(store, route),
    route('GET', /^\/guilds\/(\d+)$/, (req, [id]) => {
      const { members: _m, channels: _c, threads: _t, presences: _p, voice_states: _v, ...guild } = guildCreatePayload(requireGuild(store, id), store.applicationId, ctx.joinedAt);
      return ok(req.query.get('with_counts') === 'true' ? { ...guild, approximate_member_count: _m.length, approximate_presence_count: 0 } : guild);
    }),
    route('GET', /^\/guilds\/(\d+)\/channels$/, (_req, [id]) => ok(guildChannels(requireGuild(store, id), store.botDenied))),
    route('GET', /^\/guilds\/(\d+)\/roles$/, (_req, [id]) => ok(guildCreatePayload(requireGuild(store, id), store.applicationId, ctx.joinedAt).roles)),
    route('GET', /^\/guilds\/(\d+)\/members$/, (_req, [id]) => ok(members(ctx, requireGuild(store, id)))),
    route('GET', /^\/guilds\/(\d+)\/members\/(\d+)$/, (_req, [id, userId]) => {
      const member = members(ctx, requireGuild(store, id)).find((m) => m.user.id === userId);
      if (!member) throw new DiscordHttpError(404, 10007, 'Unknown Member');
      return ok(member);
    }),
    route('GET', /^\/channels\/(\d+)$/, (_req, [id]) => {
      const guild = store.guildOfChannel(id);
      const channel = guild && guildChannels(guild, store.botDenied).find((c) => c.id === id);
      if (!channel) throw new DiscordHttpError(404, 10003, 'Unknown Channel');
      return ok(channel);
    }),
    route('POST', /^\/channels\/(\d+)\/typing$/, () => ({ status: 204 })),
  ];
}

function requireGuild(store: DoubleStore, id: string | undefined): GuildFixture {
  const guild = store.guildById(id);
  if (!guild) throw new DiscordHttpError(404, 10004, 'Unknown Guild');
  return guild;
}

/** Current members: kicked and banned ones gone, timeouts shown. */
function members(ctx: AppRouteContext, guild: GuildFixture): APIGuildMember[] {
  return allMembers(guild).filter((m) => ctx.store.isMember(guild.id, m.id))
    .map((m) => ({ ...memberObject(m, ctx.joinedAt), communication_disabled_until: ctx.store.timeouts.get(`${guild.id}:${m.id}`) ?? null }));
}

function application(store: DoubleStore): APIApplication {
  return {
    id: store.applicationId, name: store.botUser.username, icon: null, description: 'VirusTotal scanner',
    bot_public: false, bot_require_code_grant: false, bot: store.botUser, summary: '',
    verify_key: '0'.repeat(64), team: null, flags: APPLICATION_FLAGS, flags_new: String(APPLICATION_FLAGS),
    owner: userObject(store.fixture().members.owner), approximate_guild_count: store.allGuilds().length,
    interactions_endpoint_url: null, role_connections_verification_url: null,
    integration_types_config: { [ApplicationIntegrationType.GuildInstall]: {} },
  };
}

type RouteFactory = (method: string, pattern: RegExp, handle: Route['handle']) => Route;

function commandRoutes(store: DoubleStore, route: RouteFactory): Route[] {
  // One handler set for /applications/{app}/commands and /applications/{app}/guilds/{guild}/commands.
  const list = (app: string | undefined, guildId: string | undefined): APIApplicationCommand[] => {
    if (app !== store.applicationId) throw new DiscordHttpError(403, 50001, 'Missing Access');
    if (guildId === undefined) return store.globalCommands;
    if (store.guildById(guildId) === undefined) throw new DiscordHttpError(403, 50001, 'Missing Access');
    const existing = store.guildCommands.get(guildId) ?? [];
    store.guildCommands.set(guildId, existing);
    return existing;
  };
  const base = String.raw`^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands`;
  return [
    route('GET', new RegExp(`${base}$`), (_req, [app, guildId]) => ok(list(app, guildId))),
    route('PUT', new RegExp(`${base}$`), (req, [app, guildId]) => {
      const target = list(app, guildId);
      const bodies = Array.isArray(req.body) ? (req.body as RESTPostAPIApplicationCommandsJSONBody[]) : [];
      bodies.forEach((b, i) => validateCommand(b, i));
      // Discord keeps the id of a command whose name and type did not change.
      const next = bodies.map((b) => toCommand(store, b, guildId, target.find((c) => c.name === b.name && c.type === (b.type ?? 1))));
      target.splice(0, target.length, ...next);
      return ok(next);
    }),
    route('POST', new RegExp(`${base}$`), (req, [app, guildId]) => {
      const target = list(app, guildId);
      const b = req.body as RESTPostAPIApplicationCommandsJSONBody;
      validateCommand(b);
      const index = target.findIndex((c) => c.name === b.name && c.type === (b.type ?? 1));
      const command = toCommand(store, b, guildId, target[index]);
      if (index >= 0) target[index] = command;
      else target.push(command);
      return { status: index >= 0 ? 200 : 201, body: command };
    }),
    route('GET', new RegExp(`${base}\\/(\\d+)$`), (_req, [app, guildId, id]) => ok(findCommand(list(app, guildId), id))),
    route('PATCH', new RegExp(`${base}\\/(\\d+)$`), (req, [app, guildId, id]) => {
      const target = list(app, guildId);
      const current = findCommand(target, id);
      const command = { ...current, ...(req.body as Partial<APIApplicationCommand>), id: current.id, version: store.ids.next() };
      target.splice(target.indexOf(current), 1, command);
      return ok(command);
    }),
    route('DELETE', new RegExp(`${base}\\/(\\d+)$`), (_req, [app, guildId, id]) => {
      const target = list(app, guildId);
      target.splice(target.indexOf(findCommand(target, id)), 1);
      return { status: 204 };
    }),
  ];
}

function findCommand(list: APIApplicationCommand[], id: string | undefined): APIApplicationCommand {
  const command = list.find((c) => c.id === id);
  if (!command) throw new DiscordHttpError(404, 10063, 'Unknown application command');
  return command;
}

function toCommand(store: DoubleStore, b: RESTPostAPIApplicationCommandsJSONBody, guildId: string | undefined, previous?: APIApplicationCommand): APIApplicationCommand {
  const type = b.type ?? ApplicationCommandType.ChatInput;
  return {
    ...(b as Partial<APIApplicationCommand>),
    id: previous?.id ?? store.ids.next(), application_id: store.applicationId, version: store.ids.next(),
    type, name: b.name, description: 'description' in b && b.description !== undefined ? b.description : '',
    default_member_permissions: b.default_member_permissions ?? null, nsfw: b.nsfw ?? false,
    integration_types: b.integration_types ?? [ApplicationIntegrationType.GuildInstall],
    contexts: b.contexts ?? [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel],
    ...(guildId === undefined ? {} : { guild_id: guildId }),
  };
}

const CHAT_NAME = /^[-_'\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** The registration rules Discord enforces (names, descriptions, counts), reported as 50035. */
function validateCommand(b: RESTPostAPIApplicationCommandsJSONBody, index?: number): void {
  const problems: [string, string][] = [];
  const chat = (b.type ?? 1) === ApplicationCommandType.ChatInput;
  if (chat ? !CHAT_NAME.test(b.name) : b.name.length < 1 || b.name.length > 32) problems.push(['name', 'APPLICATION_COMMAND_INVALID_NAME']);
  const description = 'description' in b ? b.description : undefined;
  if (chat && (description === undefined || description.length < 1 || description.length > 100)) problems.push(['description', 'BASE_TYPE_BAD_LENGTH']);
  const walk = (options: unknown, path: string): void => {
    if (!Array.isArray(options)) return;
    if (options.length > 25) problems.push([path, 'BASE_TYPE_MAX_LENGTH']);
    options.forEach((o: { name?: string; description?: string; options?: unknown; choices?: unknown[] }, i) => {
      if (!CHAT_NAME.test(o.name ?? '')) problems.push([`${path}.${i}.name`, 'APPLICATION_COMMAND_INVALID_NAME']);
      if (!o.description || o.description.length > 100) problems.push([`${path}.${i}.description`, 'BASE_TYPE_BAD_LENGTH']);
      if ((o.choices?.length ?? 0) > 25) problems.push([`${path}.${i}.choices`, 'BASE_TYPE_MAX_LENGTH']);
      walk(o.options, `${path}.${i}.options`);
    });
  };
  walk('options' in b ? b.options : undefined, 'options');
  problems.push(...commandLocalizationProblems(b as Parameters<typeof commandLocalizationProblems>[0]));
  if (problems.length === 0) return;
  const errors: Record<string, unknown> = {};
  for (const [path, code] of problems) errors[index === undefined ? path : `${index}.${path}`] = { _errors: [{ code, message: `Invalid ${path}` }] };
  throw new DiscordHttpError(400, 50035, 'Invalid Form Body', errors);
}
