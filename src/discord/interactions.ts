/**
 * The one entry for every interaction, and its ONE catch site: commands from the registry,
 * buttons and the picker through the custom_id codec. Failures are shown through the presenter
 * (never a stack or a secret), logged with structured fields and a reference id, and counted.
 */
import type { Client, Interaction } from 'discord.js';
import type { AppContext } from '../context.js';
import { COMMANDS } from '../commands/index.js';
import { presentError, UserFacingError } from './present-error.js';
import { handleButton, handlePick } from '../buttons/dispatch.js';
import { showFailure } from './respond.js';
import { MessageLocks } from '../core/serial.js';

const COUNTER = 'vtguard_interactions_total';
const COUNTER_HELP = 'Interactions handled, by what they were and whether they succeeded';

function nameOf(interaction: Interaction): string {
  if (interaction.isChatInputCommand()) {
    const sub = interaction.options.getSubcommand(false);
    return `/${interaction.commandName}${sub === null ? '' : ` ${sub}`}`;
  }
  if (interaction.isCommand()) return `menu:${interaction.commandName}`;
  if (interaction.isMessageComponent()) return `component:${interaction.customId.split(':').slice(0, 2).join(':')}`;
  return `interaction:${interaction.type}`;
}

async function dispatch(ctx: AppContext, locks: MessageLocks, interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand()) {
    const command = COMMANDS.find((c) => c.kind === 'chat-input' && c.data.name === interaction.commandName);
    if (command?.kind !== 'chat-input') throw new UserFacingError('This command is not available any more.');
    return command.run(ctx, interaction);
  }
  if (interaction.isMessageContextMenuCommand()) {
    const command = COMMANDS.find((c) => c.kind === 'message' && c.data.name === interaction.commandName);
    if (command?.kind !== 'message') throw new UserFacingError('This command is not available any more.');
    return command.run(ctx, interaction);
  }
  if (interaction.isButton()) return handleButton({ ctx, locks }, interaction);
  if (interaction.isStringSelectMenu()) return handlePick({ ctx, locks }, interaction);
}

/** A handler holding the per-message locks; one per client. */
export function createInteractionHandler(ctx: AppContext): (interaction: Interaction) => Promise<void> {
  const locks = new MessageLocks();
  return async function handleInteraction(interaction) {
    const name = nameOf(interaction);
    const started = ctx.clock();
    const fields = { module: 'interactions', interaction: name, interactionId: interaction.id, guildId: interaction.guildId, userId: interaction.user.id };
    try {
      await dispatch(ctx, locks, interaction);
      ctx.metrics.inc(COUNTER, COUNTER_HELP, { interaction: name, outcome: 'ok' });
      ctx.log.debug({ ...fields, ms: ctx.clock() - started }, 'interaction handled');
    } catch (err) {
      ctx.metrics.inc(COUNTER, COUNTER_HELP, { interaction: name, outcome: 'failed' });
      const { content } = presentError(err, ctx.log, { ...fields, ms: ctx.clock() - started });
      await showFailure(interaction, content).catch((sendErr: unknown) => ctx.log.warn({ ...fields, err: sendErr }, 'could not tell the user about a failure'));
    }
  };
}

/** Wires the handler to the client's `interactionCreate`; call before login. */
export function registerInteractions(ctx: AppContext, client: Client): void {
  const handle = createInteractionHandler(ctx);
  client.on('interactionCreate', (interaction) => void handle(interaction));
}
