/**
 * The root logger. Secrets are removed twice: known fields are redacted by path, and every written
 * line is scrubbed of the configured secret values and of `apikey=` / bot-token / webhook- and
 * interaction-token patterns, so a secret that slips into an error message or a URL still never
 * reaches the output. Errors lose their `requestBody` (discord.js puts what the bot sent there).
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const REDACT_PATHS = [
  'config.discordToken',
  'config.vtApiKey',
  'discordToken',
  'vtApiKey',
  'apiKey',
  'token',
  '*.token',
  // Backstop for a request body logged outside an Error (the serializer drops it from errors).
  'requestBody',
  '*.requestBody',
  'headers.authorization',
  'headers["x-apikey"]',
  '*.headers.authorization',
  '*.headers["x-apikey"]',
  'req.headers.authorization',
  'req.headers["x-apikey"]',
];

// `apikey=…` in URLs or form bodies (v2 API), `Bot <token>` authorization values, and the token
// segment of Discord's webhook and interaction routes: anyone holding one can edit or delete the
// bot's replies for 15 minutes, and discord.js puts the full route in every DiscordAPIError's `url`.
const SECRET_PATTERNS: RegExp[] = [
  /(apikey=)[^&\s"']+/gi,
  /(Bot )[A-Za-z0-9._-]{20,}/g,
  /(\/webhooks\/\d+\/)[^/\s"'?#\\]+/g,
  /(\/interactions\/\d+\/)[^/\s"'?#\\]+/g,
];

/** Returns a function that removes every given secret (and known secret shapes) from a string. */
export function secretScrubber(secrets: readonly string[]): (line: string) => string {
  // Short values would scrub ordinary words; real keys and tokens are long.
  const literal = secrets.filter((s) => s.length >= 8);
  return (line) => {
    let out = line;
    for (const secret of literal) out = out.split(secret).join('[REDACTED]');
    for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '$1[REDACTED]');
    return out;
  };
}

/**
 * pino's error serializer without `requestBody`: a DiscordAPIError carries the whole body the bot
 * sent (reply text, embeds, file names), which has no place in an error line. Causes are cleaned too.
 */
function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return withoutRequestBody(pino.stdSerializers.err(value));
}

function withoutRequestBody(serialized: unknown, depth = 0): unknown {
  if (typeof serialized !== 'object' || serialized === null || depth > 5) return serialized;
  const { requestBody: _dropped, ...rest } = serialized as Record<string, unknown>;
  if ('cause' in rest) rest.cause = withoutRequestBody(rest.cause, depth + 1);
  if (Array.isArray(rest.aggregateErrors)) rest.aggregateErrors = rest.aggregateErrors.map((e) => withoutRequestBody(e, depth + 1));
  return rest;
}

export interface LogOptions {
  level: string;
  /** Values that must never be written (the API key, the bot token). */
  secrets: readonly string[];
  /** Where lines go; stdout by default. Tests pass an in-memory sink. */
  destination?: DestinationStream;
  /**
   * Called for every line carrying a reference id (`refId`), with the module it came from: every
   * catch site logs the id a user or operator was shown, so this sees all of them (the status page
   * lists them). Gets no message, no error text and no other field.
   */
  onReference?: (reference: { refId: string; where: string; time: number }) => void;
}

/** `module` and what ran (`interaction`, `entry`) name where a reference came from; never user data. */
function whereOf(fields: Record<string, unknown>): string {
  const parts = [fields.module, fields.interaction, fields.entry].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length === 0 ? 'process' : parts.join(' ').slice(0, 80);
}

export function createLogger(options: LogOptions): Logger {
  const scrub = secretScrubber(options.secrets);
  return pino(
    {
      level: options.level,
      base: { app: 'vt-guard' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      // Errors are logged under `err` by convention, sometimes under `error`: both are serialized.
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        streamWrite: scrub,
        logMethod(args, method) {
          const first: unknown = args[0];
          const onReference = options.onReference;
          if (onReference !== undefined && typeof first === 'object' && first !== null && typeof (first as { refId?: unknown }).refId === 'string') {
            const fields = { ...this.bindings(), ...(first as Record<string, unknown>) };
            try {
              onReference({ refId: String(fields.refId).slice(0, 40), where: whereOf(fields), time: Date.now() });
            } catch {
              // A failing recorder must never cost the log line.
            }
          }
          method.apply(this, args);
        },
      },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
