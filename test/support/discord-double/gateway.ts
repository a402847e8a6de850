/**
 * The gateway: HELLO → IDENTIFY → READY + GUILD_CREATE, heartbeats, sequence numbers, RESUME with
 * replay, intent checks (4013/4014) and per-intent event delivery (no MESSAGE_CREATE without
 * GuildMessages, empty content without MessageContent), as Discord does for a verified-less bot.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import type {
  APIGuildMember, GatewayIdentifyData, GatewayReadyDispatchData, GatewayResumeData,
} from 'discord-api-types/v10';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { shardOf } from './fixtures.js';

const PRIVILEGED = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
const ALL_INTENTS = Object.values(GatewayIntentBits).filter((v): v is number => typeof v === 'number').reduce((a, b) => a | b, 0);
const GUILD_MESSAGE_EVENTS = new Set<string>([GatewayDispatchEvents.MessageCreate, GatewayDispatchEvents.MessageUpdate, GatewayDispatchEvents.MessageDelete]);
const REPLAY_LIMIT = 1000;

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** Intent bits IDENTIFY may not ask for (close 4014), e.g. MessageContent when it is not enabled in the portal. */
  disallowedIntents: number;
  /** Builds READY's `d` for a new session on `shard` ([id, count] from IDENTIFY). */
  ready: (sessionId: string, resumeUrl: string, shard: Shard) => GatewayReadyDispatchData;
  /** What follows READY: one GUILD_CREATE per guild of that shard. */
  guildCreates: (shard: Shard) => unknown[];
  /** The bot user's id: its own messages keep their content even without MessageContent. */
  botUserId: string;
  /** Members per guild id, for REQUEST_GUILD_MEMBERS (op 8) → GUILD_MEMBERS_CHUNK. */
  members: (guildId: string) => APIGuildMember[] | undefined;
}

/** Op 8's `d`: the two shapes of GatewayRequestGuildMembersData (by query, by ids) in one. */
interface MemberRequest {
  guild_id: string;
  query?: string;
  limit?: number;
  user_ids?: string | string[];
  nonce?: string;
}

/** `[shard id, shard count]`, as in IDENTIFY. */
export type Shard = readonly [number, number];

interface Session {
  id: string;
  intents: number;
  shard: Shard;
  seq: number;
  /** Sent dispatches, for RESUME replay. */
  sent: { s: number; t: string; d: unknown }[];
  socket: WebSocket | undefined;
}

export class Gateway extends EventEmitter {
  readonly identifies: GatewayIdentifyData[] = [];
  readonly resumes: GatewayResumeData[] = [];
  /** Close codes the double sent, in order. */
  readonly closeCodes: number[] = [];
  heartbeats = 0;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  #nextSession = 1;

  constructor(private readonly opts: GatewayOptions, private readonly url: () => string) {
    super();
    this.#wss.on('connection', (socket) => this.#onConnection(socket));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
  }

  /** Sessions with an open socket that got READY (or RESUMED). */
  get connected(): number {
    return [...this.#sessions.values()].filter((s) => s.socket?.readyState === 1).length;
  }

  /** Resolves once some session is connected; rejects after `timeoutMs`. */
  async waitForSession(timeoutMs: number): Promise<void> {
    if (this.connected > 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('session', onSession);
        reject(new Error(`Expected a bot connected to the double's gateway within ${timeoutMs}ms, got none (did the client log in with rest.api = double.apiUrl?)`));
      }, timeoutMs);
      const onSession = (): void => { clearTimeout(timer); resolve(); };
      this.once('session', onSession);
    });
  }

  /**
   * Sends a dispatch to every connected session that subscribed to it and, for a guild's event, runs
   * the shard it belongs to (`(guild_id >> 22) % shard_count`); returns how many got it.
   */
  dispatch(t: GatewayDispatchEvents, d: unknown): number {
    let delivered = 0;
    const guildId = (d as { guild_id?: unknown } | null)?.guild_id;
    for (const session of this.#sessions.values()) {
      if (!session.socket || session.socket.readyState !== 1) continue;
      if (typeof guildId === 'string' && shardOf(guildId, session.shard[1]) !== session.shard[0]) continue;
      if (GUILD_MESSAGE_EVENTS.has(t) && (session.intents & GatewayIntentBits.GuildMessages) === 0) continue;
      this.#send(session, t, this.#forIntents(session, t, d));
      delivered += 1;
    }
    return delivered;
  }

  /**
   * Load runs: sends `count` MESSAGE_CREATE dispatches made by `make(i)` to every session with the
   * GuildMessages intent, as fast as the bot reads them (each batch waits until its frames reached
   * the socket, so the bot's speed sets the pace). Not kept for RESUME replay and not stored.
   */
  async firehose(count: number, make: (i: number) => unknown, batch = 256): Promise<void> {
    const sessions = [...this.#sessions.values()].filter((s) => s.socket?.readyState === 1 && (s.intents & GatewayIntentBits.GuildMessages) !== 0);
    for (let i = 0; i < count; i += batch) {
      const written: Promise<void>[] = [];
      for (let j = i; j < Math.min(count, i + batch); j += 1) {
        const d = make(j);
        for (const session of sessions) {
          session.seq += 1;
          const frame = JSON.stringify({ op: GatewayOpcodes.Dispatch, s: session.seq, t: GatewayDispatchEvents.MessageCreate, d: this.#forIntents(session, GatewayDispatchEvents.MessageCreate, d) });
          const last = j === Math.min(count, i + batch) - 1;
          if (!last) session.socket?.send(frame);
          else written.push(new Promise((resolve) => session.socket?.send(frame, () => resolve())));
        }
      }
      await Promise.all(written);
    }
  }

  /** Closes every bot socket with `code` (4000 and most 4xxx let discord.js RESUME). */
  disconnectAll(code = GatewayCloseCodes.UnknownError): void {
    for (const s of this.#sessions.values()) this.#close(s.socket, code);
  }

  /** Asks every bot to reconnect (op 7), as Discord does before restarting a gateway node. */
  requestReconnect(): void {
    for (const s of this.#sessions.values()) s.socket?.send(JSON.stringify({ op: GatewayOpcodes.Reconnect, d: null }));
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #onConnection(socket: WebSocket): void {
    let session: Session | undefined;
    socket.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.opts.heartbeatIntervalMs, _trace: ['vt-guard-double'] } }));
    socket.on('message', (raw: RawData) => {
      let payload: { op?: number; d?: unknown };
      try {
        payload = JSON.parse(rawText(raw)) as { op?: number; d?: unknown };
      } catch {
        this.#close(socket, GatewayCloseCodes.DecodeError);
        return;
      }
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          this.heartbeats += 1;
          socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
          break;
        case GatewayOpcodes.Identify:
          if (session) return this.#close(socket, GatewayCloseCodes.AlreadyAuthenticated);
          session = this.#identify(socket, payload.d as GatewayIdentifyData);
          break;
        case GatewayOpcodes.Resume:
          if (session) return this.#close(socket, GatewayCloseCodes.AlreadyAuthenticated);
          session = this.#resume(socket, payload.d as GatewayResumeData);
          break;
        case GatewayOpcodes.RequestGuildMembers:
          if (!session) return this.#close(socket, GatewayCloseCodes.NotAuthenticated);
          this.#memberChunk(session, payload.d as MemberRequest);
          break;
        case GatewayOpcodes.PresenceUpdate:
        case GatewayOpcodes.VoiceStateUpdate:
          if (!session) this.#close(socket, GatewayCloseCodes.NotAuthenticated);
          break;
        default:
          this.#close(socket, GatewayCloseCodes.UnknownOpcode);
      }
    });
    socket.on('close', (code: number) => {
      if (session?.socket !== socket) return;
      session.socket = undefined;
      // A client closing with 1000/1001 ends its session on Discord: it cannot be resumed.
      if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
    });
  }

  #identify(socket: WebSocket, d: GatewayIdentifyData): Session | undefined {
    this.identifies.push(d);
    this.emit('identify', d);
    if (d.token !== this.opts.token && d.token !== `Bot ${this.opts.token}`) return void this.#close(socket, GatewayCloseCodes.AuthenticationFailed);
    if (typeof d.intents !== 'number' || (d.intents & ~ALL_INTENTS) !== 0) return void this.#close(socket, GatewayCloseCodes.InvalidIntents);
    if ((d.intents & this.opts.disallowedIntents) !== 0) return void this.#close(socket, GatewayCloseCodes.DisallowedIntents);
    const shard: Shard = d.shard ?? [0, 1];
    const [shardId, shardCount] = shard;
    if (!Number.isInteger(shardId) || !Number.isInteger(shardCount) || shardCount < 1 || shardId < 0 || shardId >= shardCount) {
      return void this.#close(socket, GatewayCloseCodes.InvalidShard);
    }
    const session: Session = { id: `double-session-${this.#nextSession++}`, intents: d.intents, shard, seq: 0, sent: [], socket };
    this.#sessions.set(session.id, session);
    this.#send(session, GatewayDispatchEvents.Ready, this.opts.ready(session.id, this.url(), shard));
    for (const guild of this.opts.guildCreates(shard)) this.#send(session, GatewayDispatchEvents.GuildCreate, guild);
    this.emit('session', session.id);
    return session;
  }

  #resume(socket: WebSocket, d: GatewayResumeData): Session | undefined {
    this.resumes.push(d);
    const session = this.#sessions.get(d.session_id);
    if (!session || d.token !== this.opts.token) {
      // Not resumable: discord.js answers by identifying from scratch.
      socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
      return undefined;
    }
    if (session.socket && session.socket !== socket) this.#close(session.socket, GatewayCloseCodes.UnknownError);
    session.socket = socket;
    for (const event of session.sent.filter((e) => e.s > d.seq)) {
      socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, ...event }));
    }
    this.#send(session, GatewayDispatchEvents.Resumed, { _trace: ['vt-guard-double'] });
    this.emit('session', session.id);
    return session;
  }

  /** One chunk with every match (the fixture guild is small), filtered by user_ids or name prefix. */
  #memberChunk(session: Session, d: MemberRequest): void {
    const all = this.opts.members(d.guild_id) ?? [];
    const ids = d.user_ids === undefined ? undefined : new Set(Array.isArray(d.user_ids) ? d.user_ids : [d.user_ids]);
    const query = (d.query ?? '').toLowerCase();
    const found = all.filter((m) => ids ? ids.has(m.user.id) : m.user.username.toLowerCase().startsWith(query));
    const limited = d.limit && d.limit > 0 ? found.slice(0, d.limit) : found;
    this.#send(session, GatewayDispatchEvents.GuildMembersChunk, {
      guild_id: d.guild_id, members: limited, chunk_index: 0, chunk_count: 1,
      ...(ids ? { not_found: [...ids].filter((id) => !all.some((m) => m.user.id === id)) } : {}),
      ...(d.nonce === undefined ? {} : { nonce: d.nonce }),
    });
  }

  #send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const event = { s: session.seq, t, d };
    session.sent.push(event);
    if (session.sent.length > REPLAY_LIMIT) session.sent.shift();
    session.socket?.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, ...event }));
  }

  /** Without MessageContent, Discord blanks content, embeds, attachments and components of others' messages. */
  #forIntents(session: Session, t: GatewayDispatchEvents, d: unknown): unknown {
    if ((session.intents & GatewayIntentBits.MessageContent) !== 0 || !GUILD_MESSAGE_EVENTS.has(t) || t === GatewayDispatchEvents.MessageDelete) return d;
    const message = d as { author?: { id?: string }; mentions?: { id: string }[]; message_snapshots?: unknown[] };
    if (message.author?.id === this.opts.botUserId || message.mentions?.some((m) => m.id === this.opts.botUserId)) return d;
    return {
      ...message, content: '', embeds: [], attachments: [], components: [],
      ...(message.message_snapshots ? { message_snapshots: [] } : {}),
    };
  }

  #close(socket: WebSocket | undefined, code: number): void {
    if (!socket || socket.readyState !== 1) return;
    this.closeCodes.push(code);
    socket.close(code, GatewayCloseCodes[code] ?? 'closed');
  }
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(raw).toString('utf8');
}

export { PRIVILEGED as PRIVILEGED_INTENTS };
