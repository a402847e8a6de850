/**
 * What extraction hands back: the result type of `extractIndicators` (../extract.ts), filled by
 * the Collector (./collect.ts). Kept apart so both import it downward.
 */

/** A masked link whose visible text names a different host than the link goes to. */
export interface MaskedMismatch {
  /** The visible link text, as typed (after refanging). */
  text: string;
  /** The target URL, normalised exactly like an entry of `urls`. */
  target: string;
}

/**
 * What one message yields. Every array is de-duplicated; order carries no meaning. Read-only: the
 * result for a message with nothing in it is one shared frozen object (no allocation for the
 * ~97% of chat that holds no indicator).
 */
export interface Indicators {
  readonly urls: readonly string[];
  readonly domains: readonly string[];
  readonly ips: readonly string[];
  readonly hashes: readonly string[];
  /**
   * Masked links `[text](url)` whose text names a host (URL, domain or IP, first-party Discord
   * names included) other than the target's host, ignoring a leading "www.". Both the text's
   * indicators and the target are also in the arrays above; this list lets the bot say so.
   */
  readonly maskedMismatches: readonly MaskedMismatch[];
}

// A message past the fast path usually fills one or two lists; the others stay this one frozen
// array instead of four fresh ones per message (allocation showed up as GC time in the profile).
/** The shared empty list. */
export const NONE: readonly string[] = Object.freeze([]);
/** The shared empty mismatch list. */
export const NO_MISMATCHES: readonly MaskedMismatch[] = Object.freeze([]);

/** The shared result for a message with nothing in it. */
export const NOTHING: Indicators = Object.freeze({
  urls: NONE,
  domains: NONE,
  ips: NONE,
  hashes: NONE,
  maskedMismatches: NO_MISMATCHES,
});
