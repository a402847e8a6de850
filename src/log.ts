/**
 * The root logger. Secrets are removed twice: known fields are redacted by path, and every written
 * line is scrubbed of the configured secret values and of `apikey=` / bot-token patterns, so a key
 * that slips into an error message or a URL still never reaches the output.
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
  'headers.authorization',
  'headers["x-apikey"]',
  '*.headers.authorization',
  '*.headers["x-apikey"]',
  'req.headers.authorization',
  'req.headers["x-apikey"]',
];

// `apikey=…` in URLs or form bodies (v2 API), `Bot <token>` authorization values.
const SECRET_PATTERNS: RegExp[] = [/(apikey=)[^&\s"']+/gi, /(Bot )[A-Za-z0-9._-]{20,}/g];

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

export interface LogOptions {
  level: string;
  /** Values that must never be written (the API key, the bot token). */
  secrets: readonly string[];
  /** Where lines go; stdout by default. Tests pass an in-memory sink. */
  destination?: DestinationStream;
}

export function createLogger(options: LogOptions): Logger {
  const scrub = secretScrubber(options.secrets);
  return pino(
    {
      level: options.level,
      base: { app: 'vt-guard' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: { streamWrite: scrub },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
