/**
 * A command is its API definition (plain JSON, typed with discord-api-types) plus its handler. The
 * registry (index.ts) lists them once; the bot dispatches from it and registration sends it.
 */
import type {
  ChatInputCommandInteraction, MessageContextMenuCommandInteraction,
} from 'discord.js';
import type {
  RESTPostAPIChatInputApplicationCommandsJSONBody, RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { AppContext } from '../context.js';

export interface ChatInputCommand {
  kind: 'chat-input';
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  run(ctx: AppContext, interaction: ChatInputCommandInteraction): Promise<void>;
}

export interface MessageCommand {
  kind: 'message';
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  run(ctx: AppContext, interaction: MessageContextMenuCommandInteraction): Promise<void>;
}

export type Command = ChatInputCommand | MessageCommand;

/** Every reply, edit and follow-up: nobody is ever pinged. */
export const NO_PINGS = Object.freeze({ parse: [] as [], repliedUser: false });
