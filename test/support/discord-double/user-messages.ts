/**
 * What people do with messages, turned into gateway dispatches: post (with files, embeds, forwards,
 * replies), edit and delete. Messages are stored so the bot can reply to, fetch or delete them.
 */
import { GatewayDispatchEvents, MessageFlags, MessageReferenceType, MessageType } from 'discord-api-types/v10';
import type { APIEmbed, APIMessage, APIUser } from 'discord-api-types/v10';
import { NO_FLAGS, userObject } from './fixtures.js';
import type { MemberFixture } from './fixtures.js';
import type { Gateway } from './gateway.js';
import { gatewayMessage } from './routes-messages.js';
import { normaliseEmbeds } from './store.js';
import type { DoubleStore } from './store.js';

/** A file a user attaches. `host` replaces `127.0.0.1:port` in its URL (to play a foreign CDN). */
export interface FileSpec {
  filename: string;
  bytes: Buffer;
  contentType?: string;
  host?: string;
}

export interface PostMessageInput {
  author: MemberFixture;
  /** Defaults to the `general` channel. */
  channelId?: string;
  content?: string;
  attachments?: FileSpec[];
  embeds?: APIEmbed[];
  /** Forwarded messages (Discord's message snapshots), each with its own content and files. */
  messageSnapshots?: { content?: string; attachments?: FileSpec[]; embeds?: APIEmbed[] }[];
  /** Makes this a reply to that message id. */
  replyTo?: string;
}

export interface EditMessageInput {
  messageId: string;
  content?: string;
  embeds?: APIEmbed[];
  attachments?: FileSpec[];
}

export class MessageEvents {
  constructor(private readonly store: DoubleStore, private readonly gateway: Gateway, private readonly waitMs: number) {}

  async postMessage(input: PostMessageInput): Promise<APIMessage> {
    await this.gateway.waitForSession(this.waitMs);
    const channelId = input.channelId ?? this.store.fixture().channels.general;
    const g = this.store.guildOf(channelId);
    const content = input.content ?? '';
    const snapshots = (input.messageSnapshots ?? []).map((s) => ({
      message: {
        type: MessageType.Default, content: s.content ?? '', embeds: rich(s.embeds), components: [],
        attachments: (s.attachments ?? []).map((f) => this.store.addAttachment(channelId, f)),
        timestamp: new Date().toISOString(), edited_timestamp: null, flags: 0, mentions: [], mention_roles: [],
      },
    }));
    const replied = input.replyTo === undefined ? undefined : this.store.messages.get(input.replyTo)?.message;
    const reference = snapshots.length > 0
      ? { type: MessageReferenceType.Forward, channel_id: channelId, message_id: this.store.ids.next(), guild_id: g.id }
      : replied ? { type: MessageReferenceType.Default, channel_id: replied.channel_id, message_id: replied.id, guild_id: g.id } : undefined;
    const message: APIMessage = {
      id: this.store.ids.next(), channel_id: channelId, author: userObject(input.author), content,
      timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: content.includes('@everyone'),
      mentions: this.mentions(content), mention_roles: [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? ''),
      attachments: (input.attachments ?? []).map((f) => this.store.addAttachment(channelId, f)),
      embeds: rich(input.embeds), components: [], pinned: false,
      type: replied ? MessageType.Reply : MessageType.Default,
      flags: snapshots.length > 0 ? MessageFlags.HasSnapshot : NO_FLAGS,
      ...(reference ? { message_reference: reference } : {}),
      ...(replied ? { referenced_message: replied } : {}),
      ...(snapshots.length > 0 ? { message_snapshots: snapshots } : {}),
    };
    this.store.putMessage(message, g.id);
    this.gateway.dispatch(GatewayDispatchEvents.MessageCreate, gatewayMessage(this.store, message));
    return message;
  }

  async editMessage(input: EditMessageInput): Promise<APIMessage> {
    await this.gateway.waitForSession(this.waitMs);
    const stored = this.store.messages.get(input.messageId);
    if (!stored || stored.deleted) throw new Error(`Expected a live message ${input.messageId} to edit, got ${stored ? 'a deleted one' : 'none'}`);
    const before = stored.message;
    const next: APIMessage = {
      ...before, edited_timestamp: new Date().toISOString(),
      ...(input.content === undefined ? {} : { content: input.content, mentions: this.mentions(input.content) }),
      ...(input.embeds === undefined ? {} : { embeds: rich(input.embeds) }),
      ...(input.attachments === undefined ? {} : { attachments: input.attachments.map((f) => this.store.addAttachment(before.channel_id, f)) }),
    };
    stored.history.push(before);
    stored.message = next;
    this.gateway.dispatch(GatewayDispatchEvents.MessageUpdate, gatewayMessage(this.store, next));
    return next;
  }

  async deleteMessage(messageId: string): Promise<void> {
    await this.gateway.waitForSession(this.waitMs);
    const stored = this.store.messages.get(messageId);
    if (!stored) throw new Error(`Expected a message ${messageId} to delete, got none`);
    stored.deleted = true;
    this.gateway.dispatch(GatewayDispatchEvents.MessageDelete, { id: messageId, channel_id: stored.message.channel_id, guild_id: stored.guildId });
  }

  private mentions(content: string): APIUser[] {
    const ids = new Set([...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]));
    return this.store.allGuilds().flatMap((g) => Object.values(g.members)).filter((m) => ids.has(m.id)).map((m) => userObject(m));
  }
}

function rich(embeds: APIEmbed[] | undefined): APIEmbed[] {
  return normaliseEmbeds(embeds ?? []);
}
