/**
 * Attachments are downloaded the moment a message is seen, before any queue wait: Discord's signed
 * CDN links expire. Over-size files are skipped without a request; files on a host outside
 * ATTACHMENT_HOSTS are never fetched. A file that cannot be fetched is logged and left out.
 */
import type { AppContext } from '../context.js';
import { AttachmentRefusedError, spoolAttachment } from '../scan/attachments.js';
import type { Indicator } from '../scan/outcome.js';
import type { Planned } from '../scan/message-plan.js';

export interface Spooled {
  indicators: Indicator[];
  /** Planned items that produced no indicator (their backlog slot can be released). */
  skipped: number;
}

export async function spoolPlanned(ctx: AppContext, items: readonly Planned[], signal?: AbortSignal): Promise<Spooled> {
  const log = ctx.log.child({ module: 'autoscan' });
  const results = await Promise.all(
    items.map(async (item): Promise<Indicator | undefined> => {
      if (item.kind !== 'attachment') return { kind: item.kind, value: item.value };
      const { attachment } = item;
      const fields = { attachmentId: attachment.id, size: attachment.size };
      if (attachment.size > ctx.config.maxFileBytes) {
        log.info({ ...fields, maxBytes: ctx.config.maxFileBytes }, 'attachment over the size limit, not downloaded');
        ctx.metrics.inc('vtguard_autoscan_attachments_skipped_total', 'Attachments not downloaded', { reason: 'size' });
        return undefined;
      }
      try {
        const file = await spoolAttachment(attachment.url, {
          allowedHosts: ctx.config.attachmentHosts,
          maxBytes: ctx.config.maxFileBytes,
          name: attachment.name,
          declaredSize: attachment.size,
          ...(signal ? { signal } : {}),
        });
        return { kind: 'file', value: file.sha256, file };
      } catch (error) {
        // Never thrown on: the other files of the message are spooled already and must be scanned.
        // A foreign host means a forged or proxied attachment URL: worth a warning, never a fetch.
        const reason = error instanceof AttachmentRefusedError ? error.reason : 'error';
        log.warn({ ...fields, reason, host: hostOf(attachment.url), err: error }, 'attachment not scanned');
        ctx.metrics.inc('vtguard_autoscan_attachments_skipped_total', 'Attachments not downloaded', { reason });
        return undefined;
      }
    }),
  );
  const indicators = results.filter((i): i is Indicator => i !== undefined);
  return { indicators, skipped: items.length - indicators.length };
}

/** Removes the temporary copies once their scan is over. */
export async function discardFiles(indicators: readonly Indicator[]): Promise<void> {
  await Promise.allSettled(indicators.map((i) => (i.kind === 'file' ? i.file.discard() : Promise.resolve())));
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unparsable';
  }
}
