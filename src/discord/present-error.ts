/**
 * What a user sees when something fails: ONE presenter. Only a {@link UserFacingError} shows its own
 * text; known VirusTotal conditions get a fixed line saying what to do; anything else is logged with
 * a reference id and the user gets a short generic line carrying the same id. Error messages,
 * stacks and secrets never reach Discord.
 */
import type { Logger } from '../log.js';
import { newRefId, UserFacingError } from '../core/errors.js';
import { AnalysisUnfinishedError } from '../scan/scanner-poll.js';
import {
  ForbiddenError, NetworkError, NotAvailableOnV2Error, QuotaExceededError, QuotaExhaustedError, TimeoutError, TooManyRequestsError,
  TransientError, UserNotActiveError, WrongCredentialsError,
} from '../vt/errors.js';
import { QuotaReservedError } from '../vt/quota.js';

function unix(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * The fixed line for a known condition, or null when the error is unexpected (then the presenter
 * logs it and shows a generic line). Pure, so embeds of failed scans use the same words.
 */
export function userMessageFor(err: unknown): string | null {
  if (err instanceof UserFacingError) return err.message;
  if (err instanceof QuotaReservedError) {
    return `The rest of today's VirusTotal quota is kept for auto-scan (this server's \`autoscan_reserve\`); commands can ask again <t:${unix(err.resetAt)}:R>.`;
  }
  if (err instanceof QuotaExhaustedError) {
    return `The bot's VirusTotal quota is used up until <t:${unix(err.resetAt)}:f> (<t:${unix(err.resetAt)}:R>). Try again then.`;
  }
  if (err instanceof QuotaExceededError) return 'VirusTotal says the bot\'s quota is used up. Try again later.';
  if (err instanceof TooManyRequestsError) return 'VirusTotal is rate-limiting the bot. Try again in a minute.';
  if (err instanceof WrongCredentialsError || err instanceof UserNotActiveError) {
    return 'The bot\'s VirusTotal key was refused; tell the server admin.';
  }
  // 403 for an endpoint the key's tier may not use (premium-only); a wrong key is caught above.
  if (err instanceof ForbiddenError) return 'This is not available with this VirusTotal key (VirusTotal keeps it for premium keys).';
  if (err instanceof AnalysisUnfinishedError) return 'VirusTotal did not finish analysing this within an hour, so it was not checked. Try again later.';
  if (err instanceof NotAvailableOnV2Error) return 'This is not available with the VirusTotal v2 API the bot is set up with.';
  if (err instanceof TimeoutError || err instanceof NetworkError || err instanceof TransientError) {
    return 'VirusTotal could not be reached or is busy. Try again in a few minutes.';
  }
  return null;
}

export interface Presented {
  content: string;
  /** Logged with the error; null when the error was expected and needs no looking up. */
  refId: string | null;
}

/**
 * The text for `err`. Expected conditions are logged at `warn` (handled, degraded); anything else at
 * `error` with a reference id, because a user saw a failure.
 */
export function presentError(err: unknown, log: Logger, fields: Record<string, unknown> = {}): Presented {
  const known = userMessageFor(err);
  if (known !== null) {
    if (!(err instanceof UserFacingError)) log.warn({ ...fields, err: describe(err) }, 'interaction degraded');
    return { content: known, refId: null };
  }
  const refId = newRefId();
  log.error({ ...fields, refId, err }, 'interaction failed');
  return { content: `Something went wrong on the bot's side (ref \`${refId}\`). Try again; if it keeps happening, tell the server admin this reference.`, refId };
}

/** Enough to tell errors apart in a warn line without the stack. */
function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { value: String(err) };
  const extra = 'code' in err ? { code: (err as { code: unknown }).code } : {};
  return { type: err.name, message: err.message, ...extra };
}
