/**
 * The scanner's privacy guard. VirusTotal shows everything queried to its community, so a URL that
 * carries credentials or a secret must only be looked up by its domain.
 */

// Query/fragment keys whose value is a secret whatever it looks like.
const SECRET_KEYS =
  /^(?:x-amz-(?:signature|credential|security-token)|(?:access|id|refresh|auth|session|reset|invite|login|magic)?[-_]?token|api[-_]?key|key|apikey|secret|client[-_]?secret|password|passwd|pwd|pass|sig|signature|auth|authorization|code|otp|ticket|session(?:id)?|sid|jwt|invite|invitation|share[-_]?key)$/i;

// Paths of password-reset, magic-login, e-mail confirmation and invite flows.
const FLOW_PATH =
  /(?:^|\/)(?:reset|forgot|recover|magic|verify|verification|confirm|activate|invite|invitation|join|joinchat|unsubscribe|oauth2?|authorize|callback|sso|passwordless|one-time|otp)(?:[-_/]|$)|(?:reset|forgot|change)[-_]?password|password[-_/]?reset|magic[-_]?link|login[-_/]?link|sign[-_]?in[-_/]?link/i;

// Shared documents, drives and meeting/chat invites: the link itself is the access grant.
const SHARE_HOSTS: readonly (readonly [RegExp, RegExp])[] = [
  [/^(?:docs|drive|sheets|slides|forms|photos|meet)\.google\.com$/, /./],
  [/(?:^|\.)(?:dropbox\.com|dropboxusercontent\.com)$/, /^\/(?:s|sh|scl|t)\//],
  [/(?:^|\.)(?:1drv\.ms|onedrive\.live\.com|sharepoint\.com|box\.com|app\.box\.com|wetransfer\.com|we\.tl)$/, /./],
  [/(?:^|\.)(?:notion\.site|figma\.com|icloud\.com|mega\.nz|mega\.io|zoom\.us|teams\.microsoft\.com|teams\.live\.com)$/, /./],
  [/^(?:chat\.whatsapp\.com|signal\.group)$/, /./],
  [/^(?:t\.me|telegram\.me)$/, /^\/(?:\+|joinchat\/)/],
];

// Discord's CDN signs every attachment link with ex/is/hm. The signature only lets anyone who saw
// the message fetch a file that is already public to them, and attachments are a malware vector
// we must look up as URLs, so these three parameters are not treated as secrets.
const DISCORD_CDN_SIGNATURE = new Set(['ex', 'is', 'hm']);

/**
 * True when `url` carries credentials or secrets (userinfo, a secret-named parameter, a long
 * token-like value or path segment, a password-reset / magic-login / invite flow, or a
 * shared-document link). Such URLs must be looked up by domain only. Unparseable input is
 * treated as sensitive: when in doubt, do not send it.
 *
 * @param url - an absolute URL, typically an entry of `extractIndicators(...).urls`
 */
export function isSensitiveUrl(url: string): boolean {
  const parsed = URL.parse(url);
  if (parsed === null) return true;
  if (parsed.username !== '' || parsed.password !== '') return true;
  const host = parsed.hostname;
  if (SHARE_HOSTS.some(([h, p]) => h.test(host) && p.test(parsed.pathname))) return true;
  if (FLOW_PATH.test(parsed.pathname)) return true;
  const cdn = host === 'cdn.discordapp.com' || host.endsWith('.discordapp.net');
  for (const [key, value] of params(parsed)) {
    if (cdn && DISCORD_CDN_SIGNATURE.has(key)) continue;
    if (value !== '' && SECRET_KEYS.test(key)) return true;
    if (isTokenLike(value)) return true;
  }
  return parsed.pathname.split('/').some((segment) => isTokenLike(safeDecode(segment)));
}

/** Query parameters plus fragment parameters (OAuth implicit flow puts tokens in '#...'). */
function params(url: URL): [string, string][] {
  const all = [...url.searchParams];
  const fragment = url.hash.slice(1);
  if (fragment.includes('=')) all.push(...new URLSearchParams(fragment));
  else if (fragment !== '') all.push(['#', safeDecode(fragment)]);
  return all;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Looks like a random secret: at least 20 characters from a token alphabet (base64/base64url/hex,
 * '.' for JWTs) with letters and digits mixed in, and not a human-readable slug (words separated
 * by '-' or '_'). Pure numbers (Discord snowflakes, ids) are not secrets.
 */
export function isTokenLike(value: string): boolean {
  if (value.length < 20 || !/^[A-Za-z0-9+/=_.~-]+$/.test(value)) return false;
  if (!/\d/.test(value) || !/[A-Za-z]/.test(value)) return false;
  const longestChunk = Math.max(...value.split(/[-_.~]/).map((c) => c.length));
  if (longestChunk < 16) return false;
  // Mixed case, or a long hex/alnum chunk: random strings switch between letters and digits often.
  const switches = value.match(/[A-Za-z](?=\d)|\d(?=[A-Za-z])/g)?.length ?? 0;
  return switches >= 4 || (/[a-z]/.test(value) && /[A-Z]/.test(value) && switches >= 2);
}
