/**
 * The one codec for the bot's `custom_id`s, so buttons keep working across restarts: everything a
 * handler needs is in the id (state lives in the store). Format `vt:<action>:<kind>:<id>`, at most
 * 100 characters (Discord's limit). URLs are identified by VirusTotal's sha256 URL id (what a Report
 * carries), never by the URL itself: it fits, and it does not put a possibly sensitive URL in the
 * component.
 */
import { isObjectKind, objectKey, type ObjectKind, type ObjectRef } from '../core/objects.js';

/** Button actions; short codes keep room for long domain names. */
export type ButtonAction = 'vote-malicious' | 'vote-harmless' | 'details' | 'rescan';

export type CustomId =
  | ({ action: ButtonAction } & ObjectRef)
  /** The select menu on multi-indicator replies; each option value is `<kind>:<id>` (see {@link encodeTarget}). */
  | { action: 'pick' };

export const CUSTOM_ID_MAX = 100;

const CODES: Readonly<Record<ButtonAction, string>> = Object.freeze({
  'vote-malicious': 'vm',
  'vote-harmless': 'vh',
  details: 'dt',
  rescan: 'rs',
});
const ACTIONS = new Map(Object.entries(CODES).map(([action, code]) => [code, action as ButtonAction]));

/** What a valid id looks like per kind: hex hashes, host names, IPv4/IPv6. */
const ID_SHAPE: Readonly<Record<ObjectKind, RegExp>> = Object.freeze({
  file: /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i,
  url: /^[0-9a-f]{64}$/i,
  domain: /^(?=.{1,253}$)[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*\.?$/u,
  ip: /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:.]{2,45})$/i,
});

const PICK = 'vt:pick';

/** The custom_id for a button, or null when the id has the wrong shape or would not fit. */
export function encode(value: CustomId): string | null {
  if (value.action === 'pick') return PICK;
  const target = encodeTarget(value);
  if (target === null) return null;
  const out = `vt:${CODES[value.action]}:${target}`;
  return out.length <= CUSTOM_ID_MAX ? out : null;
}

/** The object's key (a select option's value), or null when the id has the wrong shape or is too long. */
export function encodeTarget(ref: ObjectRef): string | null {
  if (!ID_SHAPE[ref.kind].test(ref.id)) return null;
  const out = objectKey(ref);
  return out.length <= CUSTOM_ID_MAX ? out : null;
}

/** The inverse of {@link encodeTarget}; null for anything else. */
export function decodeTarget(value: string): ObjectRef | null {
  const colon = value.indexOf(':');
  if (colon < 0 || value.length > CUSTOM_ID_MAX) return null;
  const kind = value.slice(0, colon);
  const id = value.slice(colon + 1);
  if (!isObjectKind(kind) || !ID_SHAPE[kind].test(id)) return null;
  return { kind, id };
}

/** Parses a custom_id; anything not produced by {@link encode} (other bots' ids, garbage) → null. */
export function decode(customId: string): CustomId | null {
  if (customId === PICK) return { action: 'pick' };
  if (customId.length > CUSTOM_ID_MAX || !customId.startsWith('vt:')) return null;
  const rest = customId.slice(3);
  const colon = rest.indexOf(':');
  if (colon < 0) return null;
  const action = ACTIONS.get(rest.slice(0, colon));
  const target = decodeTarget(rest.slice(colon + 1));
  if (action === undefined || target === null) return null;
  return { action, ...target };
}

/**
 * Buttons of review and consent cards in the log channel. The card's state is in the store under
 * the card's own message id (src/store/reviews.ts), so the id only says which button: `vt:card:<code>`.
 */
export type CardAction =
  | 'delete' | 'timeout' | 'kick' | 'ban' | 'allow' | 'false-positive' | 'rescan' | 'vote-malicious' | 'vote-harmless' | 'upload';

const CARD_CODES: Readonly<Record<CardAction, string>> = Object.freeze({
  delete: 'd', timeout: 't', kick: 'k', ban: 'b', allow: 'a', 'false-positive': 'f', rescan: 'r', 'vote-malicious': 'm', 'vote-harmless': 'h', upload: 'u',
});
const CARD_ACTIONS = new Map(Object.entries(CARD_CODES).map(([action, code]) => [`vt:card:${code}`, action as CardAction]));

/** The custom_id of a card button. */
export function encodeCard(action: CardAction): string {
  return `vt:card:${CARD_CODES[action]}`;
}

/** The card button a custom_id names, or null for anything else. */
export function decodeCard(customId: string): CardAction | null {
  return CARD_ACTIONS.get(customId) ?? null;
}
