/**
 * Every interaction name the dispatcher can count (src/discord/interactions.ts `nameOf`), from the
 * command registry and the button codes, so the interaction metrics exist at 0 from the start.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { Command } from '../discord/command.js';

/** The component ids' first two parts (src/discord/custom-id.ts): vote malicious/harmless, details, rescan, picker. */
const COMPONENTS = ['component:vt:vm', 'component:vt:vh', 'component:vt:dt', 'component:vt:rs', 'component:vt:pick'];

export function interactionNames(commands: readonly Command[]): string[] {
  const names: string[] = [];
  for (const command of commands) {
    if (command.kind === 'message') {
      names.push(`menu:${command.data.name}`);
      continue;
    }
    const subs = (command.data.options ?? []).filter((o) => o.type === ApplicationCommandOptionType.Subcommand).map((o) => o.name);
    if (subs.length === 0) names.push(`/${command.data.name}`);
    for (const sub of subs) names.push(`/${command.data.name} ${sub}`);
  }
  return [...names, ...COMPONENTS];
}
