/**
 * Why an attachment was not checked, for the member who asked. The refusal's own message (from
 * scan/attachments.ts) is English and carries the details (status, seconds); other languages get
 * the reason in their words, with the size limit the bot applies.
 */
import { resolveLocale, translator } from '../core/i18n.js';
import type { AttachmentRefusedError } from '../scan/attachments.js';
import { humanSize } from '../discord/render/card-facts.js';

export function refusalText(error: AttachmentRefusedError, maxFileBytes: number, locale: string | null | undefined): string {
  if (resolveLocale(locale) === 'en') return error.message;
  return translator(locale)(`refusal.${error.reason}`, { max: humanSize(maxFileBytes, locale ?? undefined) });
}
