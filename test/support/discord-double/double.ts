/**
 * Assembles the double: one node:http server on 127.0.0.1 for REST (`/api/v10`), the CDN
 * (`/attachments`) and the gateway (`/gateway`, upgraded to a WebSocket). See ../discord-double.ts
 * for the test API.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayDispatchEvents } from 'discord-api-types/v10';
import type { APIApplicationCommand, APIAttachment, APIAutoModerationRule, APIMessage, APIUser, GatewayIdentifyData } from 'discord-api-types/v10';
import { serveCdn, defaultCdnOptions } from './cdn.js';
import type { CdnHit, CdnOptions } from './cdn.js';
import { InteractionEvents } from './user-interactions.js';
import type { ContextMenuInput, InteractionHandle, PressButtonInput, RunCommandInput } from './user-interactions.js';
import { MessageEvents } from './user-messages.js';
import type { EditMessageInput, FileSpec, PostMessageInput } from './user-messages.js';
import { buildGuildFixture, guildChannels, guildCreatePayload, shardOf, SnowflakeGenerator, userObject } from './fixtures.js';
import type { GuildFixture } from './fixtures.js';
import { Gateway, PRIVILEGED_INTENTS } from './gateway.js';
import { RestRecorder, serveRest } from './rest.js';
import type { Fault, RateLimitFault, RecordedCall } from './rest.js';
import { APPLICATION_FLAGS, appRoutes } from './routes-app.js';
import { interactionRoutes } from './routes-interactions.js';
import { messageRoutes } from './routes-messages.js';
import { automodRoutes } from './routes-automod.js';
import { moderationRoutes } from './routes-moderation.js';
import { DoubleStore } from './store.js';
import type { StoredMessage } from './store.js';

export interface DiscordDoubleOptions {
  /** Bot token the double accepts (default: a random one; read it back from `double.token`). */
  token?: string;
  /** Close IDENTIFY with 4014 when it asks for a privileged intent (MessageContent, GuildMembers, GuildPresences). */
  rejectPrivilegedIntents?: boolean;
  /** Finer control: exactly these intent bits are refused with 4014. */
  disallowedIntents?: number;
  /** HELLO's heartbeat_interval (default 41250 like Discord; lower it to see heartbeats in a test). */
  heartbeatIntervalMs?: number;
  /** The acknowledgement window for interactions (default 3000 like Discord; `Infinity` to disable). */
  interactionAckTimeoutMs?: number;
  /** How long an interaction token works for edits and follow-ups (default 15 minutes, as on Discord; then 401 50027). */
  interactionTokenTtlMs?: number;
  /** Delay before every REST answer (default 0). */
  restLatencyMs?: number;
  /** How long dispatch helpers wait for a connected bot before throwing (default 10000). */
  waitForBotMs?: number;
  /** Permissions of @everyone (default: view, send, history, react, embed, attach, commands, external emoji). */
  everyonePermissions?: bigint;
  /** Permissions of the bot's role (default: @everyone's plus Manage Messages); enforced on REST with 50013. */
  botRolePermissions?: bigint;
  /** Also put the bot in a second guild (its own channels, roles and members): `double.otherGuild`. */
  secondGuild?: boolean;
  /** CDN streaming (chunk size, delay between chunks, Content-Length); also changeable later via `double.cdnOptions`. */
  cdn?: Partial<CdnOptions>;
  /** The shard count GET /gateway/bot recommends (default 1). */
  shards?: number;
  /** How many guilds the bot is in (default 1); guild i's id lands on shard `i % shards`. */
  guilds?: number;
  /** Extra text channels in the guild (`double.guild.extraChannels`), for load runs across many channels. */
  extraChannels?: number;
}

export class DiscordDouble {
  readonly origin: string;
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly cdnHost: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly guild: GuildFixture;
  /** Every guild, `guild` first (option `guilds`); each has its own channels and members. */
  readonly guilds: readonly GuildFixture[];
  readonly cdnOptions: CdnOptions;

  constructor(
    readonly token: string,
    private readonly server: Server,
    private readonly store: DoubleStore,
    private readonly recorder: RestRecorder,
    readonly gateway: Gateway,
    private readonly userMessages: MessageEvents,
    private readonly userInteractions: InteractionEvents,
    cdnOptions: CdnOptions,
    /** Every CDN request, as it happens: path, Host header, bytes sent, whether the client hung up. */
    readonly cdnHits: CdnHit[],
  ) {
    const { port } = server.address() as AddressInfo;
    this.cdnHost = `127.0.0.1:${port}`;
    this.origin = `http://${this.cdnHost}`;
    this.apiUrl = `${this.origin}/api`;
    this.gatewayUrl = `ws://${this.cdnHost}/gateway`;
    this.applicationId = store.applicationId;
    this.botUser = store.botUser;
    this.guild = store.fixture();
    this.guilds = store.allGuilds();
    this.cdnOptions = cdnOptions;
  }

  /** The second guild (option `secondGuild`): other channels, other members, the same bot. */
  get otherGuild(): GuildFixture {
    const other = this.store.extraGuilds.at(-1);
    if (!other) throw new Error('Expected the double to be started with { secondGuild: true }');
    return other;
  }

  /**
   * Takes permissions from the bot in one channel (as a channel overwrite would): REST calls needing
   * them answer 403 50013 Missing Permissions, and interactions there carry the reduced app_permissions.
   */
  denyBot(channelId: string, bits: bigint): void {
    this.store.botDenied.set(channelId, (this.store.botDenied.get(channelId) ?? 0n) | bits);
    // As on Discord, an overwrite change reaches connected clients as CHANNEL_UPDATE.
    const guild = this.store.guildOf(channelId);
    const channel = guildChannels(guild, this.store.botDenied).find((c) => c.id === channelId);
    if (channel !== undefined) this.gateway.dispatch(GatewayDispatchEvents.ChannelUpdate, channel);
  }

  /** The guild's AutoMod rules as Discord holds them (the bot's and any other). */
  automodRules(guildId: string = this.guild.id): APIAutoModerationRule[] {
    return this.store.automodRules.get(guildId) ?? [];
  }

  /** The bot is kicked from (or leaves) a guild: GUILD_DELETE without `unavailable`, as Discord sends it. */
  removeBot(guildId: string): void {
    this.store.leftGuilds.add(guildId);
    this.gateway.dispatch(GatewayDispatchEvents.GuildDelete, { id: guildId });
  }

  /** The member's DMs are closed to the bot: sending one answers 403 50007. */
  closeDms(userId: string): void { this.store.closedDms.add(userId); }
  openDms(userId: string): void { this.store.closedDms.delete(userId); }
  /** DMs the bot sent, oldest first. */
  get dms(): readonly { userId: string; message: APIMessage; allowedMentions: unknown }[] { return this.store.dms; }
  /** The ban on a user in the primary guild (or another), if any. */
  ban(userId: string, guildId = this.guild.id): { deleteMessageSeconds: number } | undefined { return this.store.bans.get(`${guildId}:${userId}`); }
  /** Whether the user is still a member (not kicked or banned). */
  isMember(userId: string, guildId = this.guild.id): boolean { return this.store.isMember(guildId, userId); }
  /** The member's `communication_disabled_until`, as last set by the bot (undefined: never touched). */
  timeoutOf(userId: string, guildId = this.guild.id): string | null | undefined { return this.store.timeouts.get(`${guildId}:${userId}`); }
  /** Changes a guild's Server Primary Language (`preferred_locale`) and tells the bot with GUILD_UPDATE. */
  setPreferredLocale(locale: string, guild: GuildFixture = this.guild): void {
    guild.preferredLocale = locale;
    const { members: _m, channels: _c, threads: _t, presences: _p, voice_states: _v, ...update } = guildCreatePayload(guild, this.applicationId, new Date().toISOString());
    this.gateway.dispatch(GatewayDispatchEvents.GuildUpdate, update);
  }

  get members(): GuildFixture['members'] { return this.guild.members; }
  get channels(): GuildFixture['channels'] { return this.guild.channels; }
  get roles(): GuildFixture['roles'] { return this.guild.roles; }

  // ── REST record ──────────────────────────────────────────────────────────
  get calls(): readonly RecordedCall[] { return this.recorder.calls; }

  /** Calls made with an interaction's token or id (callback, @original, follow-ups). */
  callsFor(interaction: InteractionHandle | string): RecordedCall[] {
    const keys = typeof interaction === 'string' ? [interaction] : [interaction.id, interaction.token];
    return this.recorder.calls.filter((c) => keys.some((k) => c.path.split('/').includes(k)));
  }

  /** Resolves with the first recorded call (past or future) matching `predicate`. */
  async waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const found = this.recorder.calls.find(predicate);
    if (found) return found;
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall): void => {
        if (!predicate(call)) return;
        clearTimeout(timer);
        this.recorder.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.recorder.off('call', onCall);
        const seen = this.recorder.calls.map((c) => `  ${c.method} ${c.path} → ${c.status}`).join('\n') || '  (none)';
        reject(new Error(`Expected a matching REST call within ${timeoutMs}ms, got none. Calls so far:\n${seen}`));
      }, timeoutMs);
      this.recorder.on('call', onCall);
    });
  }

  /** `waitForCall('POST', /^\/channels\/\d+\/messages$/)`; a string path must match exactly. */
  waitForCall(method: string, path: RegExp | string, timeoutMs = 5000): Promise<RecordedCall> {
    const m = method.toUpperCase();
    return this.waitFor((c) => c.method === m && (typeof path === 'string' ? c.path === path : path.test(c.path)), timeoutMs);
  }

  /** The next `times` calls matching answer with this status/body/headers instead of the route. */
  failNext(fault: Partial<Fault> & Pick<Fault, 'path'>): void {
    this.recorder.addFault({ status: 500, body: { message: '500: Internal Server Error', code: 0 }, ...fault });
  }

  /** The next `times` matching calls get a 429 with Discord's body and headers (Retry-After, X-RateLimit-*, scope). */
  rateLimitNext(spec: RateLimitFault): void {
    this.recorder.rateLimit(spec);
  }

  // ── state ────────────────────────────────────────────────────────────────
  /** Messages in a channel, oldest first, in their current state (deleted ones only with `includeDeleted`). */
  messages(channelId: string, opts: { includeDeleted?: boolean } = {}): APIMessage[] {
    return [...this.store.messages.values()]
      .filter((m) => m.message.channel_id === channelId && (opts.includeDeleted === true || !m.deleted))
      .map((m) => m.message);
  }

  /** One message with its bookkeeping: `deleted`, earlier versions in `history`. */
  message(id: string): StoredMessage | undefined { return this.store.messages.get(id); }

  /** Global then guild commands, as registered by the bot. */
  get registeredCommands(): APIApplicationCommand[] {
    return [...this.store.globalCommands, ...(this.store.guildCommands.get(this.guild.id) ?? [])];
  }
  get globalCommands(): APIApplicationCommand[] { return [...this.store.globalCommands]; }
  get guildCommands(): APIApplicationCommand[] { return [...(this.store.guildCommands.get(this.guild.id) ?? [])]; }

  /** The last IDENTIFY payload (token, intents, properties…); `gateway.identifies` has them all. */
  get identifyPayload(): GatewayIdentifyData | undefined { return this.gateway.identifies.at(-1); }

  /** The shard a guild's events go to, for a bot identifying with `shardCount` shards. */
  shardOf(guildId: string, shardCount: number): number { return shardOf(guildId, shardCount); }

  /** Resolves once a bot session is connected (READY + GUILD_CREATE sent). */
  ready(timeoutMs = 10_000): Promise<void> { return this.gateway.waitForSession(timeoutMs); }

  // ── things people do ─────────────────────────────────────────────────────
  postMessage(input: PostMessageInput): Promise<APIMessage> { return this.userMessages.postMessage(input); }
  editMessage(input: EditMessageInput): Promise<APIMessage> { return this.userMessages.editMessage(input); }
  deleteMessage(messageId: string): Promise<void> { return this.userMessages.deleteMessage(messageId); }
  /** Puts a file on the CDN without posting it (e.g. a large generated file for a download benchmark). */
  hostFile(file: FileSpec): APIAttachment { return this.store.addAttachment(this.guild.channels.general, file); }
  runCommand(input: RunCommandInput): Promise<InteractionHandle> { return this.userInteractions.runCommand(input); }
  runContextMenu(input: ContextMenuInput): Promise<InteractionHandle> { return this.userInteractions.runContextMenu(input); }
  pressButton(input: PressButtonInput): Promise<InteractionHandle> { return this.userInteractions.pressButton(input); }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function startDiscordDouble(options: DiscordDoubleOptions = {}): Promise<DiscordDouble> {
  const ids = new SnowflakeGenerator();
  const applicationId = ids.next();
  // A bot user's id is its application's id.
  const botUser = userObject({ id: applicationId, username: 'vt-guard', bot: true });
  const token = options.token ?? `${Buffer.from(applicationId).toString('base64url')}.double.${randomBytes(20).toString('base64url')}`;
  const store = new DoubleStore(botUser, applicationId, undefined);
  const shardCount = options.shards ?? 1;
  const perms = {
    ...(options.everyonePermissions === undefined ? {} : { everyonePermissions: options.everyonePermissions }),
    ...(options.botRolePermissions === undefined ? {} : { botRolePermissions: options.botRolePermissions }),
  };
  store.guild = buildGuildFixture(store.ids, botUser, {
    ...perms,
    ...(shardCount > 1 ? { shard: [0, shardCount] as const } : {}),
    ...(options.extraChannels === undefined ? {} : { extraChannels: options.extraChannels }),
  });
  for (let i = 1; i < (options.guilds ?? 1); i += 1) {
    store.extraGuilds.push(buildGuildFixture(store.ids, botUser, { ...perms, shard: [i % shardCount, shardCount], name: `vt-guard test guild ${String(i + 1)}` }));
  }
  const onShard = ([id, count]: readonly [number, number]) => store.allGuilds().filter((g) => shardOf(g.id, count) === id && !store.leftGuilds.has(g.id));
  if (options.secondGuild === true) {
    const at = store.extraGuilds.length + 1;
    store.extraGuilds.push(buildGuildFixture(store.ids, botUser, { ...(shardCount > 1 ? { shard: [at % shardCount, shardCount] as const } : {}), name: 'vt-guard second guild' }));
  }
  const joinedAt = new Date().toISOString();
  const recorder = new RestRecorder();
  let origin = '';
  const gateway = new Gateway({
    token, heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250, botUserId: botUser.id,
    disallowedIntents: options.disallowedIntents ?? (options.rejectPrivilegedIntents === true ? PRIVILEGED_INTENTS : 0),
    ready: (sessionId, resumeUrl, shard) => ({
      v: 10, user: botUser, guilds: onShard(shard).map((g) => ({ id: g.id, unavailable: true })), session_id: sessionId,
      resume_gateway_url: resumeUrl, shard: [shard[0], shard[1]], application: { id: applicationId, flags: APPLICATION_FLAGS, flags_new: String(APPLICATION_FLAGS) },
    }),
    guildCreates: (shard) => onShard(shard).map((g) => guildCreatePayload(g, applicationId, joinedAt, store.botDenied)),
    members: (guildId) => {
      const guild = store.guildById(guildId);
      return guild === undefined ? undefined : guildCreatePayload(guild, applicationId, joinedAt).members;
    },
  }, () => `${origin.replace('http', 'ws')}/gateway`);
  const dispatch = gateway.dispatch.bind(gateway);
  const routes = [
    ...appRoutes({ store, gatewayUrl: () => `${origin.replace('http', 'ws')}/gateway`, joinedAt, shardCount }),
    ...moderationRoutes(store, dispatch, joinedAt),
    ...messageRoutes(store, dispatch),
    ...automodRoutes(store, dispatch),
    ...interactionRoutes(store, dispatch, { ackTimeoutMs: options.interactionAckTimeoutMs ?? 3000, tokenTtlMs: options.interactionTokenTtlMs ?? 15 * 60_000 }),
  ];
  const cdnOptions: CdnOptions = { ...defaultCdnOptions, ...options.cdn };
  const cdnHits: CdnHit[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/attachments/')) return serveCdn(req, res, url, store, cdnOptions, cdnHits);
    return serveRest(req, res, url, { token, routes, recorder, latencyMs: options.restLatencyMs ?? 0 });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `double failed: ${String(error)}`, code: 0 }));
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (path === '/gateway' || path === '/gateway/') gateway.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  store.origin = origin;
  const waitMs = options.waitForBotMs ?? 10_000;
  const users = new MessageEvents(store, gateway, waitMs);
  const interactions = new InteractionEvents(store, gateway, waitMs);
  return new DiscordDouble(token, server, store, recorder, gateway, users, interactions, cdnOptions, cdnHits);
}
