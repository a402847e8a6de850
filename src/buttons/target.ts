/**
 * The indicator behind a button. Files, domains and IPs are in the custom_id itself; a URL is
 * carried as VirusTotal's sha256 URL id, and the URL is read from what the scanner kept when it
 * scanned it (store/targets.ts), never from the rendered card.
 */
import type { ObjectRef } from '../core/objects.js';
import { UserFacingError } from '../core/errors.js';
import type { AppContext } from '../context.js';
import type { Indicator } from '../scan/outcome.js';

export async function indicatorFor(ctx: AppContext, target: ObjectRef): Promise<Indicator> {
  switch (target.kind) {
    case 'file': return { kind: 'hash', value: target.id };
    case 'domain': return { kind: 'domain', value: target.id };
    case 'ip': return { kind: 'ip', value: target.id };
    case 'url': {
      const url = await ctx.store.targets.valueOf(target);
      if (url === undefined) throw new UserFacingError('This link is too old to act on from here; run `/vt url` with it instead.', { translationKey: 'buttonErrors.tooOld' });
      return { kind: 'url', value: url };
    }
  }
}
