/** What button handlers share: the app context and the per-message locks. */
import type { AppContext } from '../context.js';
import type { MessageLocks } from '../core/serial.js';

export interface ButtonEnv {
  ctx: AppContext;
  locks: MessageLocks;
}
