/**
 * Interaction responses: the callback (reply, defer, deferred update, update, modal) and the
 * interaction webhook (`@original`, follow-ups). Discord's rules the bot can trip over are enforced:
 * one callback per interaction (40060), the 3-second acknowledgement window (10062), and no
 * `@original` before there is one (10008).
 */
import { GatewayDispatchEvents, InteractionResponseType, InteractionType, MessageFlags, MessageReferenceType, MessageType } from 'discord-api-types/v10';
import type { APIMessage } from 'discord-api-types/v10';
import { DiscordHttpError } from './rest.js';
import type { RestRequest, RestResponse, Route } from './rest.js';
import { gatewayMessage } from './routes-messages.js';
import type { Dispatch } from './routes-messages.js';
import type { DoubleStore, InteractionRecord, MessageBody, StoredMessage } from './store.js';
import { validateMessageBody } from './validate.js';

export interface InteractionRouteOptions {
  /** How long an interaction may wait for its callback; Discord's is 3 s. */
  ackTimeoutMs: number;
  /** How long its token works for edits and follow-ups; Discord's is 15 minutes (then 401 50027). */
  tokenTtlMs: number;
}

interface CallbackBody {
  type: InteractionResponseType;
  data?: MessageBody & Record<string, unknown>;
}

export function interactionRoutes(store: DoubleStore, dispatch: Dispatch, opts: InteractionRouteOptions): Route[] {
  const route = (method: string, pattern: RegExp, handle: Route['handle']): Route => ({ method, pattern, auth: false, handle });
  const byToken = (app: string | undefined, token: string | undefined): InteractionRecord => {
    const record = token === undefined ? undefined : store.interactions.get(token);
    if (!record || app !== store.applicationId) throw new DiscordHttpError(404, 10015, 'Unknown Webhook');
    if (Date.now() - record.createdAt > opts.tokenTtlMs) throw new DiscordHttpError(401, 50027, 'Invalid Webhook Token');
    return record;
  };
  const target = (record: InteractionRecord, id: string | undefined): StoredMessage => {
    const messageId = id === '@original' ? record.originalMessageId : record.followUpIds.find((f) => f === id) ?? (id === record.originalMessageId ? id : undefined);
    const stored = messageId === undefined ? undefined : store.messages.get(messageId);
    if (!stored || stored.deleted) throw new DiscordHttpError(404, 10008, 'Unknown Message');
    return stored;
  };
  const webhookMessage = String.raw`^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$`;
  return [
    route('POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, (req, [id, token]) => callback(store, dispatch, opts, req, id, token)),
    route('GET', new RegExp(webhookMessage), (_req, [app, token, id]) => ({ status: 200, body: target(byToken(app, token), id).message })),
    route('PATCH', new RegExp(webhookMessage), (req, [app, token, id]) => {
      const stored = target(byToken(app, token), id);
      const body = (req.body ?? {}) as MessageBody;
      const invalid = validateMessageBody(body, req.files.length, false);
      if (invalid) return invalid;
      const edited = store.editMessage(stored, body, req.files);
      if (!isEphemeral(edited)) dispatch(GatewayDispatchEvents.MessageUpdate, gatewayMessage(store, edited));
      return { status: 200, body: edited };
    }),
    route('DELETE', new RegExp(webhookMessage), (_req, [app, token, id]) => {
      const stored = target(byToken(app, token), id);
      stored.deleted = true;
      if (!isEphemeral(stored.message)) dispatch(GatewayDispatchEvents.MessageDelete, { id: stored.message.id, channel_id: stored.message.channel_id, guild_id: stored.guildId });
      return { status: 204 };
    }),
    route('POST', /^\/webhooks\/(\d+)\/([^/]+)$/, (req, [app, token]) => {
      const record = byToken(app, token);
      if (record.state === 'pending') throw new DiscordHttpError(404, 10015, 'Unknown Webhook');
      const body = (req.body ?? {}) as MessageBody;
      const invalid = validateMessageBody(body, req.files.length, true);
      if (invalid) return invalid;
      // The first follow-up after a deferred reply fills in the "thinking…" message instead of adding one.
      const original = record.originalMessageId === undefined ? undefined : store.messages.get(record.originalMessageId);
      if (record.state === 'deferred' && original && ((original.message.flags ?? 0) & MessageFlags.Loading) !== 0) {
        // Visibility was fixed by the defer; the follow-up's own flags do not change it.
        const { flags: _ignored, ...content } = body;
        const edited = store.editMessage(original, content, req.files);
        if (!isEphemeral(edited)) dispatch(GatewayDispatchEvents.MessageUpdate, gatewayMessage(store, edited));
        return { status: 200, body: edited };
      }
      const created = store.botMessage(record.channelId, body, req.files, interactionExtras(store, record, body.flags));
      record.followUpIds.push(created.id);
      if (!isEphemeral(created)) dispatch(GatewayDispatchEvents.MessageCreate, gatewayMessage(store, created));
      return { status: 200, body: created };
    }),
  ];
}

function callback(
  store: DoubleStore, dispatch: Dispatch, opts: InteractionRouteOptions, req: RestRequest, id: string | undefined, token: string | undefined,
): RestResponse {
  const record = token === undefined ? undefined : store.interactions.get(token);
  if (!record || record.id !== id || (record.state === 'pending' && Date.now() - record.createdAt > opts.ackTimeoutMs)) {
    throw new DiscordHttpError(404, 10062, 'Unknown interaction');
  }
  if (record.state !== 'pending') throw new DiscordHttpError(400, 40060, 'Interaction has already been acknowledged.');
  const body = (req.body ?? {}) as CallbackBody;
  const data = body.data ?? {};
  let message: APIMessage | undefined;
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const invalid = validateMessageBody(data, req.files.length, true);
      if (invalid) return invalid;
      message = store.botMessage(record.channelId, data, req.files, interactionExtras(store, record, data.flags));
      record.state = 'replied';
      break;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const flags = MessageFlags.Loading | ((data.flags ?? 0) & MessageFlags.Ephemeral);
      message = store.botMessage(record.channelId, { content: '' }, [], interactionExtras(store, record, flags));
      record.state = 'deferred';
      break;
    }
    case InteractionResponseType.DeferredMessageUpdate:
    case InteractionResponseType.UpdateMessage: {
      const source = record.sourceMessageId === undefined ? undefined : store.messages.get(record.sourceMessageId);
      if (!source) throw new DiscordHttpError(400, 50035, 'Invalid Form Body', { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Only components can update a message' }] } });
      if (body.type === InteractionResponseType.UpdateMessage) {
        const invalid = validateMessageBody(data, req.files.length, false);
        if (invalid) return invalid;
        message = store.editMessage(source, data, req.files);
      } else {
        message = source.message;
      }
      record.state = body.type === InteractionResponseType.UpdateMessage ? 'updated' : 'deferred-update';
      break;
    }
    case InteractionResponseType.Modal:
      record.state = 'modal';
      break;
    case InteractionResponseType.ApplicationCommandAutocompleteResult:
      checkChoices(record, body.data);
      record.state = 'replied';
      break;
    default:
      throw new DiscordHttpError(400, 50035, 'Invalid Form Body', { type: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: `Value must be one of {1, 4, 5, 6, 7, 9, 12}.` }] } });
  }
  if (message) {
    record.originalMessageId = message.id;
    const event = body.type === InteractionResponseType.UpdateMessage ? GatewayDispatchEvents.MessageUpdate : GatewayDispatchEvents.MessageCreate;
    if (body.type !== InteractionResponseType.DeferredMessageUpdate && !isEphemeral(message)) dispatch(event, gatewayMessage(store, message));
  }
  if (req.query.get('with_response') !== 'true') return { status: 204 };
  return {
    status: 200,
    body: {
      interaction: {
        id: record.id, type: record.type, activity_instance_id: undefined, response_message_id: message?.id,
        response_message_loading: message ? ((message.flags ?? 0) & MessageFlags.Loading) !== 0 : undefined,
        response_message_ephemeral: message ? isEphemeral(message) : undefined,
      },
      resource: { type: body.type, ...(message ? { message } : {}) },
    },
  };
}

/** Discord's rules for an autocomplete answer: only to autocomplete requests, at most 25 choices of 1–100 characters. */
function checkChoices(record: InteractionRecord, data: unknown): void {
  if (record.type !== Number(InteractionType.ApplicationCommandAutocomplete)) {
    throw new DiscordHttpError(400, 50035, 'Invalid Form Body', { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Autocomplete results answer autocomplete requests only' }] } });
  }
  const choices = (data as { choices?: { name?: unknown; value?: unknown }[] } | undefined)?.choices;
  const bad = !Array.isArray(choices) || choices.length > 25 || choices.some((c) => typeof c.name !== 'string' || c.name.length < 1 || c.name.length > 100
    || (typeof c.value === 'string' && c.value.length > 100));
  if (bad) throw new DiscordHttpError(400, 50035, 'Invalid Form Body', { data: { choices: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Invalid choices' }] } } });
}

function isEphemeral(message: APIMessage): boolean {
  return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

/** What marks a message as an interaction response: webhook author fields, metadata, and its type. */
function interactionExtras(store: DoubleStore, record: InteractionRecord, flags: number | undefined): Partial<APIMessage> {
  const fromComponent = record.sourceMessageId !== undefined;
  const type = fromComponent ? MessageType.Reply : record.commandType === 3 ? MessageType.ContextMenuCommand : MessageType.ChatInputCommand;
  return {
    webhook_id: store.applicationId, application_id: store.applicationId, flags: flags ?? 0, type,
    interaction_metadata: {
      id: record.id, type: record.type, user: record.user,
      authorizing_integration_owners: { 0: record.guildId },
      ...(fromComponent && record.sourceMessageId !== undefined ? { interacted_message_id: record.sourceMessageId } : {}),
    },
    ...(fromComponent && record.sourceMessageId !== undefined ? { message_reference: { type: MessageReferenceType.Default, message_id: record.sourceMessageId, channel_id: record.channelId, guild_id: record.guildId } } : {}),
  };
}
