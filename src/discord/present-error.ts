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
import { translator } from '../core/i18n.js';

function unix(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * The fixed line for a known condition, or null when the error is unexpected (then the presenter
 * logs it and shows a generic line). Pure, so embeds of failed scans use the same words.
 */
export function userMessageFor(err: unknown, locale?: string): string | null {
  const tr = translator(locale);
  if (err instanceof UserFacingError) return err.translationKey === undefined ? err.message : tr(err.translationKey, err.translationVars);
  if (err instanceof QuotaReservedError) {
    return tr('errors.reserved', { when: `<t:${unix(err.resetAt)}:R>` });
  }
  if (err instanceof QuotaExhaustedError) {
    return tr('errors.exhausted', { until: `<t:${unix(err.resetAt)}:f>`, when: `<t:${unix(err.resetAt)}:R>` });
  }
  if (err instanceof QuotaExceededError) return tr('errors.exceeded');
  if (err instanceof TooManyRequestsError) return tr('errors.rateLimited');
  if (err instanceof WrongCredentialsError || err instanceof UserNotActiveError) {
    return tr('errors.keyRefused');
  }
  // 403 for an endpoint the key's tier may not use (premium-only); a wrong key is caught above.
  if (err instanceof ForbiddenError) return tr('errors.premium');
  if (err instanceof AnalysisUnfinishedError) return tr('errors.unfinished');
  if (err instanceof NotAvailableOnV2Error) return tr('errors.v2');
  if (err instanceof TimeoutError || err instanceof NetworkError || err instanceof TransientError) {
    return tr('errors.unreachable');
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
export function presentError(err: unknown, log: Logger, fields: Record<string, unknown> = {}, locale?: string): Presented {
  const known = userMessageFor(err, locale);
  if (known !== null) {
    if (!(err instanceof UserFacingError)) log.warn({ ...fields, err: describe(err) }, 'interaction degraded');
    return { content: known, refId: null };
  }
  const refId = newRefId();
  log.error({ ...fields, refId, err }, 'interaction failed');
  return { content: translator(locale)('errors.generic', { refId }), refId };
}

/** Enough to tell errors apart in a warn line without the stack. */
function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { value: String(err) };
  const extra = 'code' in err ? { code: (err as { code: unknown }).code } : {};
  return { type: err.name, message: err.message, ...extra };
}
