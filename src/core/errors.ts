/**
 * The errors every layer may raise for a person to read, and the reference ids that tie what a
 * person saw to the log line with the details.
 */
import { randomBytes } from 'node:crypto';

/** An error whose message is written for the user (no internals, no secrets). */
export class UserFacingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserFacingError';
  }
}

/** A short id users can quote and operators can grep for (`ref 7f3a9c1e`). */
export function newRefId(): string {
  return randomBytes(4).toString('hex');
}
