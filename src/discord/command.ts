/**
 * A command is its API definition (plain JSON, typed with discord-api-types) plus its handler. The
 * registry (src/commands/index.ts) lists them once; app.ts hands that list to the interaction
 * dispatcher and to registration.
 */
import type {
  AutocompleteInteraction, ChatInputCommandInteraction, MessageContextMenuCommandInteraction,
} from 'discord.js';
import type {
  RESTPostAPIChatInputApplicationCommandsJSONBody, RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { AppContext } from '../context.js';

export interface ChatInputCommand {
  kind: 'chat-input';
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  run(ctx: AppContext, interaction: ChatInputCommandInteraction): Promise<void>;
  /** Suggestions while a member types an option declared with `autocomplete: true`. */
  autocomplete?(ctx: AppContext, interaction: AutocompleteInteraction): Promise<void>;
}

export interface MessageCommand {
  kind: 'message';
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  run(ctx: AppContext, interaction: MessageContextMenuCommandInteraction): Promise<void>;
}

export type Command = ChatInputCommand | MessageCommand;
