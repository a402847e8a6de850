/**
 * The shared vocabulary of what the bot talks about: the four kinds of VirusTotal object, a
 * reference to one object, its one string key, and the moderator votes on it. Everything above
 * (engine, plumbing, features) names objects with these, so a key is built in exactly one place.
 */

/** VirusTotal's four object collections, as the bot names them. */
export type ObjectKind = 'file' | 'url' | 'domain' | 'ip';

/** One VirusTotal object: files by hash, URLs by VirusTotal's sha256 URL id, domains, IPs. */
export interface ObjectRef {
  kind: ObjectKind;
  id: string;
}

/** `<kind>:<id>`: the one key an object is stored, cached, voted and picked under. */
export function objectKey(ref: ObjectRef): string {
  return `${ref.kind}:${ref.id}`;
}

export const OBJECT_KINDS: readonly ObjectKind[] = Object.freeze(['file', 'url', 'domain', 'ip']);

export function isObjectKind(value: string): value is ObjectKind {
  return (OBJECT_KINDS as readonly string[]).includes(value);
}

/** A moderator's vote, and what VirusTotal's votes API takes. */
export type VoteVerdict = 'malicious' | 'harmless';

/** This server's moderators' votes on one object. */
export interface ModeratorTally {
  malicious: number;
  harmless: number;
}
