/**
 * The one entry for every interaction, and its ONE catch site: commands from the registry and
 * components (buttons, the item picker) through the handlers app.ts hands in. Failures are shown
 * through the presenter (never a stack or a secret), logged with structured fields and a reference
 * id, and counted.
 */
import type { ButtonInteraction, Client, Interaction, StringSelectMenuInteraction } from 'discord.js';
import type { AppContext } from '../context.js';
import { UserFacingError } from '../core/errors.js';
import type { Command } from './command.js';
import { presentError } from './present-error.js';
import { showFailure } from './send.js';

/** What the features offer the dispatcher: the command registry and the component handlers. */
export interface InteractionRoutes {
  commands: readonly Command[];
  onButton(interaction: ButtonInteraction): Promise<void>;
  onSelect(interaction: StringSelectMenuInteraction): Promise<void>;
}

const COUNTER = 'vtguard_interactions_total';
const COUNTER_HELP = 'Interactions handled, by what they were and whether they succeeded';
const GONE = 'This command is not available any more.';

/** The `interaction` label of interaction metrics: the command (and subcommand) or the button kind, never an id. */
export function nameOf(interaction: Interaction): string {
  if (interaction.isChatInputCommand()) {
    const sub = interaction.options.getSubcommand(false);
    return `/${interaction.commandName}${sub === null ? '' : ` ${sub}`}`;
  }
  if (interaction.isCommand()) return `menu:${interaction.commandName}`;
  if (interaction.isMessageComponent()) return `component:${interaction.customId.split(':').slice(0, 2).join(':')}`;
  return `interaction:${interaction.type}`;
}

async function dispatch(ctx: AppContext, routes: InteractionRoutes, interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand()) {
    const command = routes.commands.find((c) => c.kind === 'chat-input' && c.data.name === interaction.commandName);
    if (command?.kind !== 'chat-input') throw new UserFacingError(GONE, { translationKey: 'limits.gone' });
    return command.run(ctx, interaction);
  }
  if (interaction.isMessageContextMenuCommand()) {
    const command = routes.commands.find((c) => c.kind === 'message' && c.data.name === interaction.commandName);
    if (command?.kind !== 'message') throw new UserFacingError(GONE, { translationKey: 'limits.gone' });
    return command.run(ctx, interaction);
  }
  if (interaction.isAutocomplete()) {
    const command = routes.commands.find((c) => c.kind === 'chat-input' && c.data.name === interaction.commandName);
    if (command?.kind === 'chat-input') await command.autocomplete?.(ctx, interaction);
    return;
  }
  if (interaction.isButton()) return routes.onButton(interaction);
  if (interaction.isStringSelectMenu()) return routes.onSelect(interaction);
}

export function createInteractionHandler(ctx: AppContext, routes: InteractionRoutes): (interaction: Interaction) => Promise<void> {
  return async function handleInteraction(interaction) {
    const name = nameOf(interaction);
    const started = ctx.clock();
    const fields = { module: 'interactions', interaction: name, interactionId: interaction.id, guildId: interaction.guildId, userId: interaction.user.id };
    try {
      await dispatch(ctx, routes, interaction);
      ctx.metrics.inc(COUNTER, COUNTER_HELP, { interaction: name, outcome: 'ok' });
      ctx.log.debug({ ...fields, ms: ctx.clock() - started }, 'interaction handled');
    } catch (err) {
      ctx.metrics.inc(COUNTER, COUNTER_HELP, { interaction: name, outcome: 'failed' });
      const { content } = presentError(err, ctx.log, { ...fields, ms: ctx.clock() - started }, interaction.locale);
      await showFailure(interaction, content).catch((sendErr: unknown) => ctx.log.warn({ ...fields, err: sendErr }, 'could not tell the user about a failure'));
    }
  };
}

/** Wires the handler to the client's `interactionCreate`; call before login. */
export function registerInteractions(ctx: AppContext, client: Client, routes: InteractionRoutes): void {
  const handle = createInteractionHandler(ctx, routes);
  client.on('interactionCreate', (interaction) => void handle(interaction));
}
