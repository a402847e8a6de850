/** What every button handler gets: the app context, and the queue that serialises work per card. */
import type { AppContext } from '../context.js';
import type { KeyedSerialQueue } from '../core/serial.js';

export interface ButtonEnv {
  ctx: AppContext;
  /** Keyed by the message the buttons sit on: two presses on one card never interleave their edits. */
  cards: KeyedSerialQueue;
}
