/**
 * v3 comments, votes, behaviour summaries and relationship pages → the backend's types.
 *
 * @see https://docs.virustotal.com/reference/comment-object
 * @see https://docs.virustotal.com/reference/vote-object
 * @see https://docs.virustotal.com/reference/file-all-behaviours-summary
 */
import type { BehaviourSummary, Comment, Page, Vote } from './backend.js';
import { asArray, asNumber, asRecord, asString, asStrings, at, isoFromEpoch } from './parse.js';

/** A comment object, or null without id. */
export function commentFrom(data: unknown): Comment | null {
  const id = asString(at(data, 'id'));
  if (id === undefined) return null;
  const attrs = asRecord(at(data, 'attributes')) ?? {};
  const positive = asNumber(at(attrs, 'votes', 'positive'));
  const negative = asNumber(at(attrs, 'votes', 'negative'));
  const comment: Comment = { id, text: asString(attrs.text) ?? '', date: isoFromEpoch(attrs.date) ?? '' };
  if (positive !== undefined || negative !== undefined) comment.votes = { positive: positive ?? 0, negative: negative ?? 0 };
  return comment;
}

/** A vote object, or null without id or with a verdict we do not know. */
export function voteFrom(data: unknown): Vote | null {
  const id = asString(at(data, 'id'));
  const verdict = asString(at(data, 'attributes', 'verdict'));
  if (id === undefined || (verdict !== 'malicious' && verdict !== 'harmless')) return null;
  return { id, verdict, date: isoFromEpoch(at(data, 'attributes', 'date')) ?? '' };
}

/** A `{data:[…], meta:{cursor}}` listing, each item parsed by `parse` (unparsable items skipped). */
export function pageFrom<T>(body: unknown, parse: (item: unknown) => T | null): Page<T> {
  const items = asArray(at(body, 'data')).flatMap((item) => {
    const parsed = parse(item);
    return parsed === null ? [] : [parsed];
  });
  const cursor = asString(at(body, 'meta', 'cursor'));
  return cursor === undefined || cursor === '' ? { items } : { items, cursor };
}

/** Strings made from each entry of a list of records (entries `describe` cannot read are skipped). */
function describeAll(value: unknown, describe: (entry: unknown) => string | undefined): string[] {
  return asArray(value).flatMap((entry) => {
    const text = typeof entry === 'string' ? entry : describe(entry);
    return text === undefined ? [] : [text];
  });
}

/** The `data` of `/files/{id}/behaviour_summary`, condensed to lists of short strings. */
export function behaviourFrom(data: unknown): BehaviourSummary {
  return {
    tags: asStrings(at(data, 'tags')),
    processesCreated: asStrings(at(data, 'processes_created')),
    filesWritten: asStrings(at(data, 'files_written')),
    dnsLookups: describeAll(at(data, 'dns_lookups'), (e) => asString(at(e, 'hostname'))),
    ipTraffic: describeAll(at(data, 'ip_traffic'), (e) => {
      const ip = asString(at(e, 'destination_ip'));
      const port = asNumber(at(e, 'destination_port'));
      return ip === undefined ? undefined : port === undefined ? ip : `${ip}:${port}`;
    }),
    mitreTechniques: describeAll(at(data, 'mitre_attack_techniques'), (e) => {
      const id = asString(at(e, 'id'));
      const what = asString(at(e, 'signature_description'));
      return id === undefined ? what : what === undefined ? id : `${id} ${what}`;
    }),
    verdicts: asStrings(at(data, 'verdicts')),
  };
}
