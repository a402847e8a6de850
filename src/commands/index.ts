/**
 * The command registry: the one list the bot dispatches from and registration sends to Discord.
 * Adding a command = one file exporting its definition and handler, plus a line here.
 */
import { configCommand } from './config.js';
import { scanMessageCommand } from './scan-message.js';
import type { Command } from '../discord/command.js';
import { vtCommand } from './vt.js';

export const COMMANDS: readonly Command[] = Object.freeze([vtCommand, configCommand, scanMessageCommand]);

