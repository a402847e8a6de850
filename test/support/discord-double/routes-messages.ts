/**
 * REST routes on channel messages: create (reply via message_reference), read, edit, delete, react.
 * Like Discord, each change is echoed to the gateway (MESSAGE_CREATE/UPDATE/DELETE) for the bot too.
 */
import { GatewayDispatchEvents, PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { APIMessage, APIReaction } from 'discord-api-types/v10';
import { memberPermissions } from './fixtures.js';
import { DiscordHttpError } from './rest.js';
import { sendDm } from './routes-moderation.js';
import type { Route, RestResponse } from './rest.js';
import type { DoubleStore, MessageBody, StoredMessage } from './store.js';
import { validateMessageBody } from './validate.js';

export type Dispatch = (event: GatewayDispatchEvents, data: unknown) => void;

const ok = (body: unknown): RestResponse => ({ status: 200, body });

export function messageRoutes(store: DoubleStore, dispatch: Dispatch): Route[] {
  const route = (method: string, pattern: RegExp, handle: Route['handle']): Route => ({ method, pattern, auth: true, handle });
  const channel = (id: string | undefined): string => {
    if (id === undefined || store.guildOfChannel(id) === undefined) throw new DiscordHttpError(404, 10003, 'Unknown Channel');
    return id;
  };
  const message = (channelId: string | undefined, id: string | undefined): StoredMessage => {
    const stored = id === undefined ? undefined : store.liveMessage(channel(channelId), id);
    if (!stored) throw new DiscordHttpError(404, 10008, 'Unknown Message');
    return stored;
  };
  // The bot's permissions in the channel (its guild's, minus what a test denied there), checked as Discord does.
  const botMay = (channelId: string | undefined, bits: bigint): boolean => (botPermissionsIn(store, channelId ?? '') & bits) === bits;
  const require = (channelId: string | undefined, bits: bigint): void => {
    if (!botMay(channelId, bits)) throw new DiscordHttpError(403, 50013, 'Missing Permissions');
  };
  return [
    route('POST', /^\/channels\/(\d+)\/messages$/, (req, [channelId]) => {
      if (store.dmChannels.has(channelId ?? '')) return sendDm(store, channelId ?? '', req);
      const raw = (req.body ?? {}) as MessageBody;
      require(channelId, P.ViewChannel | P.SendMessages | (raw.message_reference ? P.ReadMessageHistory : 0n) | (req.files.length > 0 ? P.AttachFiles : 0n));
      // Without Embed Links, Discord accepts the message and silently drops its embeds.
      const body = botMay(channelId, P.EmbedLinks) ? raw : { ...raw, embeds: [] };
      const invalid = validateMessageBody(body, req.files.length, true);
      if (invalid) return invalid;
      const ref = body.message_reference;
      // Discord refuses a reply to a deleted message unless fail_if_not_exists is false.
      if (ref?.message_id !== undefined && !store.liveMessage(ref.channel_id ?? channel(channelId), ref.message_id)
        && (ref as { fail_if_not_exists?: boolean }).fail_if_not_exists !== false) {
        throw new DiscordHttpError(400, 50035, 'Invalid Form Body', {
          message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] },
        });
      }
      const created = store.botMessage(channel(channelId), body, req.files);
      dispatch(GatewayDispatchEvents.MessageCreate, gatewayMessage(store, created));
      return ok(created);
    }),
    route('GET', /^\/channels\/(\d+)\/messages$/, (req, [channelId]) => {
      const id = channel(channelId);
      require(channelId, P.ViewChannel | P.ReadMessageHistory);
      const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 50)));
      const [before, after, around] = ['before', 'after', 'around'].map((k) => req.query.get(k) ?? undefined);
      const live = [...store.messages.values()].filter((m) => !m.deleted && m.message.channel_id === id).map((m) => m.message);
      const older = (a: string, b: string): boolean => BigInt(a) < BigInt(b);
      // Newest first, as Discord returns them; `after` pages forward from the oldest.
      if (after !== undefined) return ok(live.filter((m) => older(after, m.id)).slice(0, limit).reverse());
      if (around !== undefined) {
        const at = live.findIndex((m) => m.id === around);
        if (at < 0) return ok([]);
        const half = Math.floor(limit / 2);
        return ok(live.slice(Math.max(0, at - half), at - half + limit).reverse());
      }
      return ok(live.filter((m) => before === undefined || older(m.id, before)).reverse().slice(0, limit));
    }),
    route('GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, (_req, [channelId, id]) => ok(message(channelId, id).message)),
    route('PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, (req, [channelId, id]) => {
      const stored = message(channelId, id);
      if (stored.message.author.id !== store.botUser.id) {
        if (!isFlagsOnly(req.body)) throw new DiscordHttpError(403, 50005, 'Cannot edit a message authored by another user');
        require(channelId, P.ManageMessages);
      }
      const body = (req.body ?? {}) as MessageBody;
      const invalid = validateMessageBody(body, req.files.length, false);
      if (invalid) return invalid;
      const edited = store.editMessage(stored, body, req.files);
      dispatch(GatewayDispatchEvents.MessageUpdate, gatewayMessage(store, edited));
      return ok(edited);
    }),
    route('DELETE', /^\/channels\/(\d+)\/messages\/(\d+)$/, (_req, [channelId, id]) => {
      const stored = message(channelId, id);
      if (stored.message.author.id !== store.botUser.id) require(channelId, P.ManageMessages);
      stored.deleted = true;
      dispatch(GatewayDispatchEvents.MessageDelete, { id: stored.message.id, channel_id: stored.message.channel_id, guild_id: stored.guildId });
      return { status: 204 };
    }),
    route('PUT', /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/, (_req, [channelId, id, emoji]) => {
      require(channelId, P.ReadMessageHistory | P.AddReactions);
      react(message(channelId, id).message, emoji ?? '', true);
      return { status: 204 };
    }),
    route('DELETE', /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/, (_req, [channelId, id, emoji]) => {
      react(message(channelId, id).message, emoji ?? '', false);
      return { status: 204 };
    }),
  ];
}

/** The bot's permissions in a channel: its guild-level ones minus the channel's denials. */
export function botPermissionsIn(store: DoubleStore, channelId: string): bigint {
  const g = store.guildOf(channelId);
  return memberPermissions(g, g.members.bot) & ~(store.botDenied.get(channelId) ?? 0n);
}

/** Suppressing embeds is the one edit allowed on someone else's message. */
function isFlagsOnly(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.keys(body).every((k) => k === 'flags');
}

/** Unicode emoji or `name:id` for a custom one, as the route carries them. */
function react(message: APIMessage, emoji: string, add: boolean): void {
  if (emoji === '') throw new DiscordHttpError(400, 10014, 'Unknown Emoji');
  const [name = emoji, id = null] = emoji.split(':');
  const reactions = message.reactions ?? [];
  const existing = reactions.find((r) => r.emoji.name === name && r.emoji.id === id);
  if (add && !existing) {
    const reaction: APIReaction = {
      count: 1, count_details: { burst: 0, normal: 1 }, me: true, me_burst: false, emoji: { id, name }, burst_colors: [],
    };
    message.reactions = [...reactions, reaction];
  } else if (!add && existing?.me) {
    message.reactions = reactions.filter((r) => r !== existing);
  }
}

/** MESSAGE_CREATE/UPDATE carry guild_id and the author's member object on top of the REST shape. */
export function gatewayMessage(store: DoubleStore, message: APIMessage): APIMessage & { guild_id: string; member?: unknown } {
  const g = store.guildOfChannel(message.channel_id) ?? store.fixture();
  const member = Object.values(g.members).find((m) => m.id === message.author.id);
  return {
    ...message, guild_id: g.id,
    ...(member && message.webhook_id === undefined ? { member: { roles: [...member.roles], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null, banner: null, premium_since: null, pending: false, communication_disabled_until: null } } : {}),
  };
}
