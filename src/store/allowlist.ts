/**
 * Domains never scanned (they save quota). Matching is on the registrable domain under ICANN rules
 * (tldts), so `www.youtube.com` matches `youtube.com` but `youtube.com.evil.xyz` (registrable domain
 * `evil.xyz`) does not.
 */
import { parse } from 'tldts';
import { translator } from '../core/i18n.js';

/** Very common, safe destinations (README.md "Server settings"), plus a few more of the same kind. */
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

/** Whether `host` belongs to a built-in or guild-allowlisted registrable domain. */
export function isAllowlisted(host: string, guildAllowlist: readonly string[]): boolean {
  const domain = registrableDomain(host);
  if (domain === null) return false;
  if (BUILTIN_ALLOWLIST.includes(domain) || guildAllowlist.includes(domain)) return true;
  // A guild may allow one site on shared hosting (`name.github.io`), stored as that site.
  const site = parse(host.trim().toLowerCase().replace(/\.$/, ''), { allowPrivateDomains: true });
  return site.isPrivate === true && site.domain !== null && guildAllowlist.includes(site.domain);
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
