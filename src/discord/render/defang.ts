/**
 * Making user-controlled text safe to show in Discord: defanging (so a scanned target is never a
 * clickable link), markdown/mention escaping, and truncation to Discord's message limits.
 * Pure functions; the embed builder and the presenter use them.
 */
import type { APIEmbed } from 'discord-api-types/v10';

/** Discord's documented embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = Object.freeze({
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Sum over every embed of a message. */
  total: 6000,
  embedsPerMessage: 10,
  content: 2000,
});

/** `http`/`https`/`ftp` schemes anywhere in text, so neither Discord nor a mail client links them. */
const SCHEME = /\b(h)tt(ps?)(:\/\/)|\b(f)t(p)(:\/\/)/gi;
/** A dot between two host-ish characters: the dots of domains and IPv4 addresses. */
const HOST_DOT = /(?<=[\p{L}\p{N}-])\.(?=[\p{L}\p{N}])/gu;

/**
 * Bidirectional controls (embeddings, overrides, isolates, marks): invisible, yet they reorder what
 * follows, so `photo\u202Egnp.exe` displays as `photoexe.png`. Untrusted text never keeps them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** Shows every bidi control as a visible `<U+202E>`, so text displays in the order it was written. */
export function revealBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** Defangs everything URL- or domain-like in free text: `https://a.b/c.d` → `hxxps://a[.]b/c[.]d`. */
export function defang(text: string): string {
  return revealBidi(text)
    .replace(SCHEME, (_m: string, h?: string, s?: string, sep?: string, f?: string, p?: string, sep2?: string) =>
      h !== undefined ? `${h}xx${s ?? ''}${sep ?? ''}` : `${f ?? ''}x${p ?? ''}${sep2 ?? ''}`)
    .replace(HOST_DOT, '[.]');
}

/**
 * Defangs one URL precisely: the scheme and the host's dots; path and query stay readable.
 * Text that is not a URL is defanged as free text.
 */
export function defangUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is.exec(revealBidi(url.trim()));
  if (match === null) return defang(url);
  const [, scheme = '', authority = '', rest = ''] = match;
  const lower = scheme.toLowerCase();
  const fangless = lower.startsWith('http') ? `hxxp${lower.slice(4)}` : lower.replace('t', 'x');
  return `${fangless}://${authority.replaceAll('.', '[.]')}${rest}`;
}

/** The exact inverse of {@link defangUrl}; used to find a URL again in an embed the bot wrote. */
export function undefangUrl(text: string): string {
  const match = /^(hxxps?|fxp):\/\/([^/?#]*)(.*)$/is.exec(text);
  if (match === null) return text;
  const [, scheme = '', authority = '', rest = ''] = match;
  return `${scheme.replace('xx', 'tt').replace('fx', 'ft')}://${authority.replaceAll('[.]', '.')}${rest}`;
}

/**
 * Escapes user-controlled text for embed descriptions and field values: markdown cannot render,
 * masked links cannot form, and mentions (`@everyone`, `<@id>`, `<#id>`, `</cmd:id>`, `<t:…>`) show as
 * plain text. The `@` gets a zero-width space because a backslash does not stop every client from
 * resolving `@everyone`; allowed_mentions is empty anyway, this is about what renders.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_~`|[\]()<>:]/g, '\\$&')
    .replace(/^(\s*)([#>-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\./gm, '$1\\.')
    .replace(/@/g, '@\u200b');
}

/** Free text a user wrote (a message, a file name), defanged and escaped, at most `max` characters. */
export function safeText(text: string, max: number): string {
  return truncate(escapeMarkdown(defang(text)), max);
}

/**
 * A target shown in inline code: nothing inside renders (no markdown, no links, no mentions), so only
 * the backtick needs replacing. Callers pass an already defanged value.
 */
export function codeSpan(value: string, max = 1000): string {
  const inner = truncate(revealBidi(value).replace(/`/g, 'ˋ').replace(/[\r\n]+/g, ' '), Math.max(1, max - 2));
  return `\`${inner === '' ? ' ' : inner}\``;
}

/** Cuts to at most `max` UTF-16 units with a trailing ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

function embedLength(e: APIEmbed): number {
  const fields = (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + fields + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
}

/** One embed within the per-part limits. */
export function clampEmbed(e: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...e };
  if (e.title !== undefined) out.title = truncate(e.title, LIMITS.title);
  if (e.description !== undefined) out.description = truncate(e.description, LIMITS.description);
  if (e.footer !== undefined) out.footer = { ...e.footer, text: truncate(e.footer.text, LIMITS.footer) };
  if (e.author !== undefined) out.author = { ...e.author, name: truncate(e.author.name, LIMITS.author) };
  if (e.fields !== undefined) {
    out.fields = e.fields.slice(0, LIMITS.fields).map((f) => ({
      ...f,
      name: truncate(f.name, LIMITS.fieldName),
      value: truncate(f.value === '' ? '\u200b' : f.value, LIMITS.fieldValue),
    }));
  }
  return out;
}

/**
 * A message's embeds within every limit: at most 10, each clamped, and 6000 characters in all.
 * Over the total, the longest embed loses its last field (then description length) until it fits:
 * the verdict line and title, which come first, survive.
 */
export function clampEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, LIMITS.embedsPerMessage).map(clampEmbed);
  let total = out.reduce((n, e) => n + embedLength(e), 0);
  while (total > LIMITS.total) {
    const index = out.reduce((best, e, i, all) => (embedLength(e) > embedLength(all[best] ?? e) ? i : best), 0);
    const e = out[index];
    if (e === undefined) break;
    const over = total - LIMITS.total;
    if (e.fields !== undefined && e.fields.length > 0) {
      out[index] = { ...e, fields: e.fields.slice(0, -1) };
    } else if (e.description !== undefined && e.description.length > 1) {
      out[index] = { ...e, description: truncate(e.description, Math.max(1, e.description.length - over)) };
    } else {
      out[index] = { ...e, title: truncate(e.title ?? '', Math.max(1, (e.title?.length ?? 0) - over)) };
    }
    const next = out.reduce((n, x) => n + embedLength(x), 0);
    if (next >= total) break; // only footers/authors left: nothing more this can shorten
    total = next;
  }
  return out;
}
