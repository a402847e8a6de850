/**
 * Domains never scanned (they save quota). Matching is on the registrable domain under ICANN rules
 * (tldts), so `www.youtube.com` matches `youtube.com` but `youtube.com.evil.xyz` (registrable domain
 * `evil.xyz`) does not. The built-in list never covers a host or path where anyone can upload
 * content or bounce a visitor elsewhere (Discord's file CDN, GitHub release downloads, Google Sites
 * and Docs, open redirects…): a link there is looked up like any other.
 */
import { parse } from 'tldts';
import { translator } from '../core/i18n.js';

/**
 * Very common, safe destinations (README.md "Server settings"), plus a few more of the same kind.
 * Image and GIF hosts (imgur, tenor, giphy) stay: they serve only media they re-encode themselves.
 */
export const BUILTIN_ALLOWLIST: readonly string[] = Object.freeze([
  'youtube.com', 'youtu.be', 'google.com', 'github.com', 'wikipedia.org', 'x.com', 'twitter.com', 'reddit.com',
  'twitch.tv', 'spotify.com', 'tenor.com', 'giphy.com', 'imgur.com',
  'discord.com', 'discord.gg', 'discordapp.com', 'wikimedia.org', 'stackoverflow.com', 'microsoft.com', 'apple.com',
  'mozilla.org', 'npmjs.com',
]);

/** The registrable domain of `host` (ICANN section only), or null for IPs, bare suffixes and junk. */
export function registrableDomain(host: string): string | null {
  const info = parse(host.trim().toLowerCase().replace(/\.$/, ''), { allowPrivateDomains: false });
  if (info.isIp === true) return null;
  return info.domain;
}

/**
 * Hosts, and paths on hosts, of built-in domains where anyone can upload a file or page, or that
 * redirect anywhere: what the built-in list must not cover. Hosts of other upload services
 * (raw.githubusercontent.com, storage.googleapis.com, Dropbox, OneDrive, MediaFire…) are simply not
 * on the built-in list (test/store/allowlist.test.ts keeps it that way).
 */
const USER_CONTENT: readonly { host: RegExp; path?: RegExp }[] = Object.freeze([
  { host: /^(?:cdn|media)\.discordapp\.(?:com|net)$/ },
  { host: /^(?:www\.)?github\.com$/, path: /^\/[^/]+\/[^/]+\/(?:releases\/download|raw|archive|blob|files|suites)\//i },
  { host: /^(?:www\.)?github\.com$/, path: /^\/user-attachments\//i },
  { host: /^(?:gist|codeload|objects)\.github\.com$/ },
  { host: /^(?:sites|docs|drive|drive\.usercontent|script|groups|storage\.cloud|forms)\.google\.com$/ },
  { host: /^(?:www\.)?google\.com$/, path: /^\/(?:url|amp|imgres)(?:[/?]|$)/i },
  { host: /^(?:www\.|m\.)?youtube\.com$/, path: /^\/(?:redirect|attribution_link)(?:[/?]|$)/i },
  { host: /^addons\.mozilla\.org$/ },
]);

/** Whether a link to `host` + `path` may hold content anyone uploaded (see {@link USER_CONTENT}). */
export function isUserContent(host: string, path: string): boolean {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return USER_CONTENT.some((rule) => rule.host.test(h) && (rule.path === undefined || rule.path.test(path)));
}

/** Whether `host` is on the guild's own allowlist (a registrable domain, or one shared-hosting site). */
function guildAllows(host: string, guildAllowlist: readonly string[]): boolean {
  if (guildAllowlist.length === 0) return false;
  const domain = registrableDomain(host);
  if (domain !== null && guildAllowlist.includes(domain)) return true;
  // A guild may allow one site on shared hosting (`name.github.io`), stored as that site.
  const site = parse(host.trim().toLowerCase().replace(/\.$/, ''), { allowPrivateDomains: true });
  return site.isPrivate === true && site.domain !== null && guildAllowlist.includes(site.domain);
}

/** Whether `host` belongs to a built-in or guild-allowlisted registrable domain (a bare name, no path). */
export function isAllowlisted(host: string, guildAllowlist: readonly string[]): boolean {
  const domain = registrableDomain(host);
  if (domain === null) return false;
  return BUILTIN_ALLOWLIST.includes(domain) || guildAllows(host, guildAllowlist);
}

/**
 * Whether a link is allowlisted: the guild's own list covers its host; the built-in list covers it
 * unless the host or path is one where anyone can upload content ({@link isUserContent}).
 */
export function isAllowlistedUrl(url: string, guildAllowlist: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (guildAllows(host, guildAllowlist)) return true;
  if (isUserContent(host, parsed.pathname)) return false;
  const domain = registrableDomain(host);
  return domain !== null && BUILTIN_ALLOWLIST.includes(domain);
}

/** The outcome of checking a domain a moderator wants to allowlist. */
export type AllowCheck = { ok: true; domain: string } | { ok: false; error: string };

/**
 * Validates a domain for the guild allowlist and reduces it to its registrable domain. Refuses
 * shared hosting suffixes (`github.io`, `blogspot.com`): allowing one would allow every site on it.
 */
export function checkAllowDomain(input: string, locale?: string): AllowCheck {
  const tr = translator(locale);
  const host = input.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/[/:?#].*$/, '').replace(/\.$/, '');
  const icann = parse(host, { allowPrivateDomains: false });
  if (icann.isIp === true) return { ok: false, error: tr('allowlist.ip') };
  if (icann.domain === null || icann.publicSuffix === host) return { ok: false, error: tr('allowlist.notDomain') };
  const withPrivate = parse(host, { allowPrivateDomains: true });
  if (withPrivate.isPrivate === true && withPrivate.publicSuffix === host) {
    return { ok: false, error: tr('allowlist.shared', { host }) };
  }
  return { ok: true, domain: withPrivate.isPrivate === true && withPrivate.domain !== null ? withPrivate.domain : icann.domain };
}
