/**
 * Small readers for untrusted JSON: each returns the value when it has the expected type and
 * `undefined` (or an empty default) otherwise, so normalisers never trust VirusTotal's shapes.
 */

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A counter (engines, URLs, votes): a non-negative safe integer, nothing else. */
export function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** The strings of an array, skipping anything else. */
export function asStrings(value: unknown): string[] {
  return asArray(value).filter((item): item is string => typeof item === 'string');
}

/** Follows `keys` through nested records. */
export function at(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    current = asRecord(current)?.[key];
    if (current === undefined) return undefined;
  }
  return current;
}

/** Unix seconds (VirusTotal's dates) as an ISO string. */
export function isoFromEpoch(value: unknown): string | undefined {
  const seconds = asNumber(value);
  return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
}

/** A v2 `scan_date` (`YYYY-MM-DD HH:MM:SS`, UTC) as an ISO string, or null. */
export function isoFromScanDate(value: unknown): string | null {
  const text = asString(value);
  const time = text === undefined ? NaN : Date.parse(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Copies only the defined entries, as exactOptionalPropertyTypes wants for optional fields. */
export function defined<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * What a strict parser made of an answer: the value, or what it expected and did not find (phrased
 * to follow "VirusTotal answered … without", as the clients' `fail` does).
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

export const parsed = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const missing = <T>(expected: string): Parsed<T> => ({ ok: false, expected });
