/**
 * HTTP status + VirusTotal's `{"error":{"code","message"}}` body → the typed errors of errors.ts.
 *
 * @see https://docs.virustotal.com/reference/errors
 */
import {
  AlreadyExistsError, BadRequestError, ForbiddenError, MalformedResponseError, NotFoundError, QuotaExceededError,
  TooManyRequestsError, TransientError, UserNotActiveError, VtError, WrongCredentialsError,
} from './errors.js';
import type { VtErrorDetails } from './errors.js';
import { asString, at } from './parse.js';

type ErrorClass = new (message: string, details: VtErrorDetails) => VtError;

/** Removes the key from text that may be shown or logged (a server might echo it). */
export function scrub(text: string, apiKey: string): string {
  return apiKey === '' ? text : text.replaceAll(apiKey, '[key]');
}

/** `Retry-After` (seconds or an HTTP date) as milliseconds, when present and sensible. */
export function retryAfterMs(header: string | string[] | undefined): { retryAfterMs?: number } {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return {};
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return { retryAfterMs: Math.round(seconds * 1000) };
  const date = Date.parse(value);
  return Number.isNaN(date) ? {} : { retryAfterMs: Math.max(0, date - Date.now()) };
}

function classFor(status: number, code: string): ErrorClass {
  if (code === 'WrongCredentialsError') return WrongCredentialsError;
  switch (status) {
    case 400: return BadRequestError;
    case 401: return code === 'UserNotActiveError' || code === 'AuthenticationRequiredError' ? UserNotActiveError : WrongCredentialsError;
    case 403: return ForbiddenError;
    case 404: return NotFoundError;
    case 409: return AlreadyExistsError;
    case 429: return code === 'TooManyRequestsError' ? TooManyRequestsError : QuotaExceededError;
    default: return status >= 500 ? TransientError : VtError;
  }
}

/** VirusTotal's default code per status, for bodies that carry none (plain-text 404, empty 403). */
const DEFAULT_CODES: Readonly<Record<number, string>> = Object.freeze({
  400: 'BadRequestError', 401: 'WrongCredentialsError', 403: 'ForbiddenError', 404: 'NotFoundError',
  409: 'AlreadyExistsError', 429: 'QuotaExceededError', 503: 'TransientError',
});

/** A short, single-line excerpt of a non-JSON body for the message. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The error for a failed (or, with `malformed`, unparsable 2xx) response. The key is scrubbed from
 * the message in case a server echoes it.
 */
export function errorForStatus(
  details: Omit<VtErrorDetails, 'code'> & { code: string; malformed?: boolean },
  text: string,
  apiKey: string,
): VtError {
  const { malformed, ...rest } = details;
  const where = `${details.method} ${details.path}`;
  if (malformed === true) {
    const message = `VirusTotal answered ${details.status} with a body that is not JSON (${where}): ${excerpt(text)}`;
    return new MalformedResponseError(scrub(message, apiKey), { ...rest, code: 'MalformedResponse' });
  }
  const body = parseJson(text);
  const given = details.code === '' ? undefined : details.code;
  const code = given ?? asString(at(body, 'error', 'code')) ?? DEFAULT_CODES[details.status] ?? (details.status >= 500 ? 'TransientError' : `HTTP${details.status}`);
  const said = asString(at(body, 'error', 'message')) ?? (body === undefined ? excerpt(text) : '');
  const message = `VirusTotal answered ${details.status} ${code}${said === '' ? '' : `: ${said}`} (${where})`;
  const ErrorType = classFor(details.status, code);
  return new ErrorType(scrub(message, apiKey), { ...rest, code });
}
