/**
 * The indicator behind a button. Files, domains and IPs are in the custom_id itself; URLs carry
 * VirusTotal's sha256 URL id, so the URL is found again in the message the bot wrote (its embed
 * shows the defanged URL) and accepted only if it hashes to that id.
 */
import type { Message } from 'discord.js';
import type { Indicator } from '../scan/outcome.js';
import type { ObjectKind } from '../vt/report.js';
import { urlSha256 } from '../vt/ids.js';
import { undefangUrl } from '../discord/render/defang.js';
import { UserFacingError } from '../discord/present-error.js';

export interface Target {
  kind: ObjectKind;
  id: string;
}

/** Every inline-code span of the message's embeds (targets are shown that way). */
function codeSpans(message: Pick<Message, 'embeds'>): string[] {
  const texts = message.embeds.flatMap((e) => [e.description ?? '', ...e.fields.map((f) => f.value)]);
  return texts.flatMap((t) => [...t.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? ''));
}

export function recoverUrl(message: Pick<Message, 'embeds'>, sha256: string): string | null {
  for (const span of codeSpans(message)) {
    const candidate = undefangUrl(span);
    if (!/^https?:\/\//i.test(candidate)) continue;
    try {
      if (urlSha256(candidate) === sha256.toLowerCase()) return candidate;
    } catch {
      // not a URL after all
    }
  }
  return null;
}

export function indicatorFor(target: Target, message: Pick<Message, 'embeds'>): Indicator {
  switch (target.kind) {
    case 'file': return { kind: 'hash', value: target.id };
    case 'domain': return { kind: 'domain', value: target.id };
    case 'ip': return { kind: 'ip', value: target.id };
    case 'url': {
      const url = recoverUrl(message, target.id);
      if (url === null) throw new UserFacingError('This link is too long to act on from here; run `/vt url` with it instead.');
      return { kind: 'url', value: url };
    }
  }
}
