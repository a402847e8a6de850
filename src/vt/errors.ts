/**
 * Typed VirusTotal errors. Every error the client raises is a {@link VtError}; callers branch on the
 * class (or on `retryable`) and the presenter decides what a user sees.
 *
 * @see https://docs.virustotal.com/reference/errors
 */

export interface VtErrorDetails {
  /** HTTP status, or 0 when no response arrived (timeout, network). */
  status: number;
  /** VirusTotal's own error code (`NotFoundError`, `QuotaExceededError`, …) or ours for local faults. */
  code: string;
  method: string;
  /** Request path without the origin and without any key (safe to log). */
  path: string;
  /** Milliseconds the server asked us to wait (Retry-After), when it said so. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class VtError extends Error {
  readonly status: number;
  readonly code: string;
  readonly method: string;
  readonly path: string;
  readonly retryAfterMs: number | undefined;
  /** Whether sending the same request again later may succeed (429, 503, network faults). */
  readonly retryable: boolean = false;

  constructor(message: string, details: VtErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.code = details.code;
    this.method = details.method;
    this.path = details.path;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 400: the request was malformed (bad id, bad parameter). */
export class BadRequestError extends VtError {}
/** 401 WrongCredentialsError: the API key is wrong. */
export class WrongCredentialsError extends VtError {}
/** 401 UserNotActiveError / AuthenticationRequiredError: the account or key is not usable. */
export class UserNotActiveError extends VtError {}
/** 403: the key may not use this endpoint (premium-only endpoints on a free key). */
export class ForbiddenError extends VtError {}
/** 404: VirusTotal has no such object. Not an error for a scan: "VirusTotal has not seen this". */
export class NotFoundError extends VtError {}
/** 409: the object (comment, vote) already exists. */
export class AlreadyExistsError extends VtError {}
/** 429 QuotaExceededError: one of the key's quotas (minute, day or month: VirusTotal does not say which). */
export class QuotaExceededError extends VtError {
  override readonly retryable = true;
}
/** 429 TooManyRequestsError: too many requests per minute. */
export class TooManyRequestsError extends VtError {
  override readonly retryable = true;
}
/** 503 / 5xx TransientError: VirusTotal is busy; try again. */
export class TransientError extends VtError {
  override readonly retryable = true;
}
/** No answer in time. */
export class TimeoutError extends VtError {
  override readonly retryable = true;
}
/** The connection failed or dropped. */
export class NetworkError extends VtError {
  override readonly retryable = true;
}
/** The answer was not the JSON VirusTotal documents. */
export class MalformedResponseError extends VtError {}
/** The legacy v2 API has no such feature (comments, votes, behaviours, relationships). */
export class NotAvailableOnV2Error extends VtError {}

/**
 * Raised by the quota gate (no request was sent): the key's day or month budget is spent, or
 * VirusTotal said so. `resetAt` is when the budget frees again.
 */
export class QuotaExhaustedError extends Error {
  constructor(
    readonly window: 'minute' | 'day' | 'month',
    readonly resetAt: Date,
  ) {
    super(`VirusTotal ${window} quota is used up until ${resetAt.toISOString()}`);
    this.name = 'QuotaExhaustedError';
  }
}

/**
 * Raised by the shared quota gate (no request was sent): Redis, which holds the quota every
 * process shares, cannot be reached, so sending would risk exceeding the key's rate.
 */
export class QuotaUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The shared VirusTotal quota (Redis) is unreachable; nothing is sent until it is back', { cause });
    this.name = 'QuotaUnavailableError';
  }
}
