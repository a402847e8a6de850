/**
 * The errors every layer may raise for a person to read, and the reference ids that tie what a
 * person saw to the log line with the details.
 */
import { randomBytes } from 'node:crypto';

/**
 * An error whose message is written for the user (no internals, no secrets). With a
 * `translationKey` (a key of locales/en.json), the presenter shows that text in the reader's
 * language; `message` stays the English text, for logs.
 */
export class UserFacingError extends Error {
  readonly translationKey: string | undefined;
  readonly translationVars: Record<string, unknown> | undefined;

  constructor(message: string, options?: { cause?: unknown; translationKey?: string; translationVars?: Record<string, unknown> }) {
    super(message, options);
    this.name = 'UserFacingError';
    this.translationKey = options?.translationKey;
    this.translationVars = options?.translationVars;
  }
}

/** A short id users can quote and operators can grep for (`ref 7f3a9c1e`). */
export function newRefId(): string {
  return randomBytes(4).toString('hex');
}
