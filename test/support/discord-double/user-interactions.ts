/**
 * Interactions people start, turned into INTERACTION_CREATE: slash commands (option types taken
 * from the bot's registration), the message context menu, buttons and selects. Each is remembered
 * by token so the interaction routes can enforce Discord's acknowledgement rules.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionContextType,
  InteractionType,
  Locale,
} from 'discord-api-types/v10';
import type {
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOption,
  APIAttachment,
  APIInteraction,
  APIInteractionDataResolved,
  APIInteractionGuildMember,
  APIMessage,
  APIUser,
} from 'discord-api-types/v10';
import { randomBytes } from 'node:crypto';
import { guildChannels, guildRoles, memberPermissions, NO_FLAGS, userObject } from './fixtures.js';
import type { GuildFixture, MemberFixture } from './fixtures.js';
import { botPermissionsIn } from './routes-messages.js';
import type { Gateway } from './gateway.js';
import type { DoubleStore } from './store.js';
import type { FileSpec } from './user-messages.js';

export type OptionValue = string | number | boolean;

export interface RunCommandInput {
  member: MemberFixture;
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
  /** Attachment options, by option name. */
  attachments?: Record<string, FileSpec>;
  channelId?: string;
  /** Send it as an autocomplete request (type 4) with this option focused, as Discord does while a member types. */
  focused?: string;
  /** The member's Discord client language (`interaction.locale`); en-US by default. */
  locale?: string;
}

export interface ContextMenuInput {
  member: MemberFixture;
  /** The message right-clicked: a stored message or its id. */
  targetMessage: APIMessage | string;
  /** Defaults to the one registered message command, else "Scan with VirusTotal". */
  name?: string;
  /** The member's Discord client language; en-US by default. */
  locale?: string;
}

export interface PressButtonInput {
  member: MemberFixture;
  /** The message carrying the component (usually one the bot sent): the message or its id. */
  message: APIMessage | string;
  customId: string;
  /** For select menus: ComponentType.StringSelect and the chosen values. */
  componentType?: ComponentType;
  values?: string[];
  /** The presser's Discord client language; en-US by default. */
  locale?: string;
}

/** What a test gets back from an interaction it started. */
export interface InteractionHandle {
  id: string;
  token: string;
  payload: APIInteraction;
  /** `performance.now()` when the INTERACTION_CREATE went out on the gateway. */
  dispatchedAt: number;
}

export class InteractionEvents {
  readonly #commandIds = new Map<string, string>();

  constructor(private readonly store: DoubleStore, private readonly gateway: Gateway, private readonly waitMs: number) {}

  async runCommand(input: RunCommandInput): Promise<InteractionHandle> {
    const g = this.store.fixture();
    const registered = this.store.allCommands(g.id).find((c) => c.name === input.name && c.type === ApplicationCommandType.ChatInput);
    let defs: APIApplicationCommandOption[] | undefined = registered?.options;
    const path: string[] = [];
    for (const level of [input.subcommandGroup, input.subcommand]) {
      if (level === undefined) continue;
      path.push(level);
      if (registered) {
        const sub = defs?.find((o) => o.name === level);
        if (!sub || !('options' in sub)) throw new Error(`Expected /${input.name} to have a subcommand "${path.join(' ')}", got ${names(defs)}`);
        defs = sub.options ?? [];
      }
    }
    const resolved: APIInteractionDataResolved = {};
    let leaves: APIApplicationCommandInteractionDataOption[] = Object.entries(input.options ?? {}).map(([name, value]) =>
      this.option(input, name, value, defs, registered !== undefined, resolved))
      .map((o) => (o.name === input.focused ? { ...o, focused: true } as APIApplicationCommandInteractionDataOption : o));
    const channelId = input.channelId ?? g.channels.general;
    for (const [name, file] of Object.entries(input.attachments ?? {})) {
      const attachment: APIAttachment = this.store.addAttachment(channelId, file);
      (resolved.attachments ??= {})[attachment.id] = { ...attachment, ephemeral: true };
      leaves.push({ name, type: ApplicationCommandOptionType.Attachment, value: attachment.id });
    }
    if (input.subcommand !== undefined) leaves = [{ name: input.subcommand, type: ApplicationCommandOptionType.Subcommand, options: leaves } as APIApplicationCommandInteractionDataOption];
    if (input.subcommandGroup !== undefined) leaves = [{ name: input.subcommandGroup, type: ApplicationCommandOptionType.SubcommandGroup, options: leaves } as APIApplicationCommandInteractionDataOption];
    const data = {
      id: registered?.id ?? this.commandId(input.name), name: input.name, type: ApplicationCommandType.ChatInput,
      options: leaves, ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
      ...(registered?.guild_id === undefined ? {} : { guild_id: registered.guild_id }),
    };
    const type = input.focused === undefined ? InteractionType.ApplicationCommand : InteractionType.ApplicationCommandAutocomplete;
    return this.interact(input.member, channelId, type, data, { commandType: ApplicationCommandType.ChatInput, locale: input.locale });
  }

  async runContextMenu(input: ContextMenuInput): Promise<InteractionHandle> {
    const g = this.store.fixture();
    const target = this.liveMessage(input.targetMessage);
    const messageCommands = this.store.allCommands(g.id).filter((c) => c.type === ApplicationCommandType.Message);
    const registered = input.name === undefined ? messageCommands[0] : messageCommands.find((c) => c.name === input.name);
    const name = input.name ?? registered?.name ?? 'Scan with VirusTotal';
    const data = {
      id: registered?.id ?? this.commandId(name), name, type: ApplicationCommandType.Message, target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    };
    return this.interact(input.member, target.channel_id, InteractionType.ApplicationCommand, data, { commandType: ApplicationCommandType.Message, locale: input.locale });
  }

  async pressButton(input: PressButtonInput): Promise<InteractionHandle> {
    const message = this.liveMessage(input.message);
    const componentType = input.componentType ?? ComponentType.Button;
    const data = {
      custom_id: input.customId, component_type: componentType,
      ...(componentType === ComponentType.Button ? {} : { values: input.values ?? [] }),
    };
    return this.interact(input.member, message.channel_id, InteractionType.MessageComponent, data, { message, locale: input.locale });
  }

  private async interact(
    member: MemberFixture, channelId: string, type: InteractionType, data: unknown, extra: { commandType?: number; message?: APIMessage; locale?: string | undefined },
  ): Promise<InteractionHandle> {
    await this.gateway.waitForSession(this.waitMs);
    const g = this.store.guildOf(channelId);
    const channel = guildChannels(g, this.store.botDenied).find((c) => c.id === channelId);
    if (!channel) throw new Error(`Expected a channel of the double's guild, got ${channelId}`);
    const id = this.store.ids.next();
    // Shaped like Discord's: base64url of `interaction:<id>:<secret>` (URL-safe, so routes carry it verbatim).
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
    const user = userObject(member);
    const payload = {
      id, application_id: this.store.applicationId, type, token, version: 1, data,
      guild_id: g.id, guild: { id: g.id, locale: g.preferredLocale, features: [] },
      channel_id: channelId, channel: { ...channel, guild_id: g.id },
      member: this.interactionMember(g, member, user),
      app_permissions: botPermissionsIn(this.store, channelId).toString(),
      locale: extra.locale ?? Locale.EnglishUS, guild_locale: g.preferredLocale, entitlements: [],
      authorizing_integration_owners: { 0: g.id }, context: InteractionContextType.Guild,
      attachment_size_limit: 10 * 1024 * 1024,
      ...(extra.message ? { message: extra.message } : {}),
    } as unknown as APIInteraction;
    this.store.interactions.set(token, {
      id, token, type, user, channelId, guildId: g.id, createdAt: Date.now(), state: 'pending', followUpIds: [],
      ...(extra.commandType === undefined ? {} : { commandType: extra.commandType }),
      ...(extra.message ? { sourceMessageId: extra.message.id } : {}),
    });
    const dispatchedAt = performance.now();
    this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return { id, token, payload, dispatchedAt };
  }

  private interactionMember(g: GuildFixture, member: MemberFixture, user: APIUser): APIInteractionGuildMember {
    return {
      user, roles: [...member.roles], permissions: memberPermissions(g, member).toString(),
      joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: NO_FLAGS, nick: null, avatar: null, banner: null,
      premium_since: null, pending: false, communication_disabled_until: null,
    };
  }

  private option(
    input: RunCommandInput, name: string, value: OptionValue, defs: APIApplicationCommandOption[] | undefined, strict: boolean,
    resolved: APIInteractionDataResolved,
  ): APIApplicationCommandInteractionDataOption {
    const def = defs?.find((d) => d.name === name);
    if (strict && !def) throw new Error(`Expected option "${name}" on /${input.name}, got only ${names(defs)}`);
    const type = def?.type ?? (typeof value === 'boolean' ? ApplicationCommandOptionType.Boolean
      : typeof value === 'number' ? (Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number)
        : ApplicationCommandOptionType.String);
    const g = this.store.fixture();
    if (type === ApplicationCommandOptionType.User || type === ApplicationCommandOptionType.Mentionable) {
      const m = Object.values(g.members).find((x) => x.id === value);
      if (m) (resolved.users ??= {})[m.id] = userObject(m);
    }
    if (type === ApplicationCommandOptionType.Role || type === ApplicationCommandOptionType.Mentionable) {
      const r = guildRoles(g).find((x) => x.id === value);
      if (r) (resolved.roles ??= {})[r.id] = r;
    }
    if (type === ApplicationCommandOptionType.Channel) {
      const c = guildChannels(g).find((x) => x.id === value);
      if (c) (resolved.channels ??= {})[c.id] = { id: c.id, name: c.name ?? '', type: ChannelType.GuildText, permissions: memberPermissions(g, input.member).toString() };
    }
    return { name, type, value } as APIApplicationCommandInteractionDataOption;
  }

  private liveMessage(ref: APIMessage | string): APIMessage {
    const id = typeof ref === 'string' ? ref : ref.id;
    const stored = this.store.messages.get(id);
    if (!stored || stored.deleted) throw new Error(`Expected a live message ${id} in the double, got ${stored ? 'a deleted one' : 'none'}`);
    return stored.message;
  }

  /** Unregistered commands still get a stable id per name, so tests can run them without registration. */
  private commandId(name: string): string {
    const id = this.#commandIds.get(name) ?? this.store.ids.next();
    this.#commandIds.set(name, id);
    return id;
  }
}

function names(defs: APIApplicationCommandOption[] | undefined): string {
  return defs && defs.length > 0 ? defs.map((d) => `"${d.name}"`).join(', ') : 'none';
}
