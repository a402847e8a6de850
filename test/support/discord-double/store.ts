/**
 * What the double remembers: messages (user and bot, with their current state), interactions and
 * their webhook messages, registered commands, CDN blobs. REST, gateway and CDN all share one store.
 */
import { EmbedType, MessageFlags, MessageReferenceType, MessageType } from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  APIAutoModerationRule,
  APIAttachment,
  APIEmbed,
  APIMessage,
  APIMessageReference,
  APIMessageTopLevelComponent,
  APIUser,
} from 'discord-api-types/v10';
import { SnowflakeGenerator } from './fixtures.js';
import type { GuildFixture } from './fixtures.js';

/** A message as the double holds it: the API object plus what Discord knows but does not return. */
export interface StoredMessage {
  message: APIMessage;
  guildId: string;
  deleted: boolean;
  /** Every earlier version, oldest first (each edit pushes the previous state). */
  history: APIMessage[];
}

export type InteractionState = 'pending' | 'replied' | 'deferred' | 'deferred-update' | 'updated' | 'modal';

export interface InteractionRecord {
  id: string;
  token: string;
  /** InteractionType: 2 application command, 3 message component. */
  type: number;
  /** ApplicationCommandType for commands: 1 chat input, 3 message context menu. */
  commandType?: number;
  user: APIUser;
  channelId: string;
  guildId: string;
  createdAt: number;
  state: InteractionState;
  /** Message the interaction came from (buttons): the target of type 6/7 callbacks. */
  sourceMessageId?: string;
  /** The `@original` response message, once there is one. */
  originalMessageId?: string;
  followUpIds: string[];
}

export interface CdnBlob {
  bytes: Buffer;
  contentType: string;
}

/** A file uploaded with a multipart request (`files[n]`). */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** Fields of a message create/edit body the double applies (channel, webhook and callback bodies share them). */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  message_reference?: APIMessageReference;
  attachments?: { id: string | number; filename?: string; description?: string }[];
  tts?: boolean;
}

export class DoubleStore {
  readonly ids = new SnowflakeGenerator();
  readonly messages = new Map<string, StoredMessage>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  readonly blobs = new Map<string, CdnBlob>();
  /** Bans by `guildId:userId`, with the message-deletion window the bot asked for. */
  readonly bans = new Map<string, { deleteMessageSeconds: number }>();
  /** Kicked or banned members, by `guildId:userId`: no longer in the guild. */
  readonly removedMembers = new Set<string>();
  /** `communication_disabled_until` by `guildId:userId` (null: timeout removed). */
  readonly timeouts = new Map<string, string | null>();
  /** DM channels the bot opened: channel id → recipient user id. */
  readonly dmChannels = new Map<string, string>();
  /** Users whose DMs are closed to the bot (Discord answers 50007). */
  readonly closedDms = new Set<string>();
  /** DMs the bot sent, in order. */
  readonly dms: { userId: string; message: APIMessage; allowedMentions: unknown }[] = [];
  /** Permissions taken from the bot per channel (a channel overwrite denying them). */
  readonly botDenied = new Map<string, bigint>();
  /** AutoMod rules per guild id (routes-automod.ts). */
  readonly automodRules = new Map<string, APIAutoModerationRule[]>();
  /** Guilds the bot was removed from (`double.removeBot`): no longer in READY or GUILD_CREATE. */
  readonly leftGuilds = new Set<string>();
  origin = '';

  constructor(
    readonly botUser: APIUser,
    readonly applicationId: string,
    public guild: GuildFixture | undefined,
  ) {}

  /** Guilds besides `guild` (options `guilds`, `secondGuild`), each with its own channels, roles and members. */
  readonly extraGuilds: GuildFixture[] = [];

  /** Whether a user is (still) a member of the guild: not kicked or banned. */
  isMember(guildId: string, userId: string): boolean {
    return !this.removedMembers.has(`${guildId}:${userId}`);
  }

  fixture(): GuildFixture {
    if (!this.guild) throw new Error('Expected the double to have built its guild before use');
    return this.guild;
  }

  /** Every guild the bot is in, `guild` first. */
  allGuilds(): GuildFixture[] {
    return [this.fixture(), ...this.extraGuilds];
  }

  guildById(id: string | undefined): GuildFixture | undefined {
    return this.allGuilds().find((g) => g.id === id);
  }

  /** The guild a channel belongs to, if any. */
  guildOfChannel(channelId: string | undefined): GuildFixture | undefined {
    return this.allGuilds().find((g) => Object.values(g.channels).includes(channelId ?? ''));
  }

  /** The guild a channel belongs to (the primary guild for unknown channels, as before guilds were several). */
  guildOf(channelId: string): GuildFixture {
    return this.guildOfChannel(channelId) ?? this.fixture();
  }

  /** Registers bytes on the CDN and returns the attachment object pointing at them. */
  addAttachment(channelId: string, file: { filename: string; bytes: Buffer; contentType?: string; host?: string }): APIAttachment {
    const id = this.ids.next();
    const contentType = file.contentType ?? 'application/octet-stream';
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    this.blobs.set(path, { bytes: file.bytes, contentType });
    // Real CDN links carry signed expiry parameters; extractors must cope with them.
    const expires = Math.floor(Date.now() / 1000 + 86_400).toString(16);
    const signed = `?ex=${expires}&is=${Math.floor(Date.now() / 1000).toString(16)}&hm=${'0'.repeat(64)}&`;
    const origin = file.host === undefined ? this.origin : `http://${file.host}`;
    return {
      id, filename: file.filename, size: file.bytes.length, content_type: contentType,
      url: `${origin}${path}${signed}`, proxy_url: `${origin}${path}${signed}`,
    };
  }

  putMessage(message: APIMessage, guildId: string): StoredMessage {
    const stored: StoredMessage = { message, guildId, deleted: false, history: [] };
    this.messages.set(message.id, stored);
    return stored;
  }

  liveMessage(channelId: string, messageId: string): StoredMessage | undefined {
    const stored = this.messages.get(messageId);
    return stored && !stored.deleted && stored.message.channel_id === channelId ? stored : undefined;
  }

  /** A message written by the bot, from a channel, webhook or interaction-callback body. */
  botMessage(channelId: string, body: MessageBody, files: UploadedFile[], extra: Partial<APIMessage> = {}): APIMessage {
    const ref = body.message_reference;
    const referenced = ref?.message_id === undefined ? undefined : this.messages.get(ref.message_id)?.message;
    const guildId = this.guildOf(channelId).id;
    const message: APIMessage = {
      id: this.ids.next(), channel_id: channelId, author: this.botUser, content: body.content ?? '',
      timestamp: new Date().toISOString(), edited_timestamp: null, tts: body.tts ?? false,
      mention_everyone: false, mentions: [], mention_roles: [], pinned: false,
      attachments: this.uploadedAttachments(channelId, body, files),
      embeds: normaliseEmbeds(body.embeds ?? []), components: body.components ?? [],
      flags: body.flags ?? 0, type: ref && referenced ? MessageType.Reply : MessageType.Default,
      ...(ref ? { message_reference: { type: MessageReferenceType.Default, guild_id: guildId, ...ref, channel_id: ref.channel_id ?? channelId } } : {}),
      ...(referenced ? { referenced_message: referenced } : {}),
      ...extra,
    };
    this.putMessage(message, guildId);
    return message;
  }

  /** Applies a PATCH body: only the fields present change, as on Discord. */
  editMessage(stored: StoredMessage, body: MessageBody, files: UploadedFile[]): APIMessage {
    const before = stored.message;
    const next: APIMessage = { ...before, edited_timestamp: new Date().toISOString() };
    if (body.content !== undefined) next.content = body.content ?? '';
    if (body.embeds !== undefined) next.embeds = normaliseEmbeds(body.embeds ?? []);
    if (body.components !== undefined) next.components = body.components ?? [];
    // Only these flags can change on edit; ephemeral stays whatever the message was created as.
    const editable = MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2;
    if (body.flags !== undefined) next.flags = ((before.flags ?? 0) & ~editable) | ((body.flags ?? 0) & editable);
    if (body.attachments !== undefined || files.length > 0) {
      // Kept attachments are listed by id; new uploads come as files.
      const kept = before.attachments.filter((a) => body.attachments?.some((k) => String(k.id) === a.id));
      next.attachments = [...kept, ...this.uploadedAttachments(before.channel_id, body, files)];
    }
    // Editing a still-loading deferred reply turns it into a normal message.
    if (((next.flags ?? 0) & MessageFlags.Loading) !== 0) next.flags = (next.flags ?? 0) & ~MessageFlags.Loading;
    stored.history.push(before);
    stored.message = next;
    return next;
  }

  private uploadedAttachments(channelId: string, body: MessageBody, files: UploadedFile[]): APIAttachment[] {
    return files.map((file, index) => {
      const meta = body.attachments?.find((a) => `files[${String(a.id)}]` === file.field) ?? body.attachments?.[index];
      const attachment = this.addAttachment(channelId, {
        filename: meta?.filename ?? file.filename, bytes: file.bytes, contentType: file.contentType,
      });
      return meta?.description === undefined ? attachment : { ...attachment, description: meta.description };
    });
  }

  /** Registered commands, guild ones first (they shadow global ones with the same name in that guild). */
  allCommands(guildId: string): APIApplicationCommand[] {
    return [...(this.guildCommands.get(guildId) ?? []), ...this.globalCommands];
  }
}

/** Discord fills in `type: 'rich'` and drops nothing else; the bot reading its own message back sees that. */
export function normaliseEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  return embeds.map((e) => ({ ...e, type: e.type ?? EmbedType.Rich }));
}
