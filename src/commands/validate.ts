/**
 * Option values → indicators, checked before anything is deferred or sent: a bad value costs no
 * VirusTotal request and gets an answer that says what was wrong and shows a valid example.
 * Defanged input (`hxxps://x[.]com`) is accepted, since people paste from threat reports.
 */
import { isIP } from 'node:net';
import { parse } from 'tldts';
import type { Indicator } from '../scan/outcome.js';
import { hashKind } from '../vt/ids.js';
// User input is echoed only inside a code span that cannot be closed from within (no injected links).
import { codeSpan } from '../discord/render/defang.js';
import { isPublicV4, publicV6 } from '../scan/extract/public-ip.js';
import { deleteInvisible, refang } from '../scan/extract/clean.js';
import { translator } from '../core/i18n.js';

export type Checked = { ok: true; indicator: Indicator } | { ok: false; error: string };

const fail = (error: string): Checked => ({ ok: false, error });

/** Strips what chat adds around a pasted value: spaces, `<…>` link suppression, backticks. */
function clean(raw: string): string {
  // The extractor's refang, so a value pasted into a command is read exactly like one in chat.
  return refang(deleteInvisible(raw).trim().replace(/^[<`]+|[>`]+$/g, '').trim()).text;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** A public-looking host name (`evil.example`, `xn--bcher-kva.example`), or null. */
function hostName(value: string): string | null {
  const host = value.toLowerCase().replace(/\.$/, '');
  if (host.length > 253 || !host.includes('.') || !host.split('.').every((l) => LABEL.test(l))) return null;
  const info = parse(host);
  return info.isIp !== true && info.domain !== null && info.hostname === host ? host : null;
}

export function checkUrl(raw: string, locale?: string): Checked {
  const tr = translator(locale);
  const value = clean(raw);
  const example = tr('validate.urlExample');
  if (value === '') return fail(tr('validate.urlEmpty', { example }));
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail(tr('validate.urlInvalid', { example }));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(tr('validate.urlScheme', { example }));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 0 && hostName(host) === null) return fail(tr('validate.urlHost', { host: codeSpan(host, 80), example }));
  if (isIP(host) !== 0 && publicIp(host) === null) return fail(tr('validate.urlPrivate', { example }));
  return { ok: true, indicator: { kind: 'url', value: url.href } };
}

/** The canonical form of a public IP (the extractor's rules, so commands and auto-scan agree), or null. */
function publicIp(value: string): string | null {
  if (isIP(value) === 4) return isPublicV4(value) ? value : null;
  return isIP(value) === 6 ? publicV6(value) ?? null : null;
}

export function checkIp(raw: string, locale?: string): Checked {
  const tr = translator(locale);
  const value = clean(raw);
  const example = tr('validate.ipExample');
  if (isIP(value) === 0) return fail(tr('validate.ipInvalid', { value: codeSpan(value, 60), example }));
  const ip = publicIp(value);
  if (ip === null) return fail(tr('validate.ipPrivate', { value: codeSpan(value, 60), example }));
  return { ok: true, indicator: { kind: 'ip', value: ip } };
}

export function checkDomain(raw: string, locale?: string): Checked {
  let value = clean(raw);
  // A pasted link is forgiven: its host is what a domain report is about.
  if (/^https?:\/\//i.test(value)) {
    try { value = new URL(value).hostname; } catch { /* reported below as not a domain */ }
  }
  const host = hostName(value);
  if (host === null) return fail(translator(locale)('validate.domainInvalid', { value: codeSpan(value, 80) }));
  return { ok: true, indicator: { kind: 'domain', value: host } };
}

export function checkHash(raw: string, locale?: string): Checked {
  const value = raw.trim().replace(/^`+|`+$/g, '').toLowerCase();
  if (hashKind(value) === null) {
    return fail(translator(locale)('validate.hashInvalid', { length: value.length }));
  }
  return { ok: true, indicator: { kind: 'hash', value } };
}
