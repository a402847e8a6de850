/**
 * Turns a message's plan into indicators, downloading its attachments at once: Discord's signed CDN
 * links expire, so files are spooled the moment a message is seen, before any queue wait. Over-size
 * files are refused without a request; files on a host outside ATTACHMENT_HOSTS are never fetched.
 * What could not be fetched is returned with the reason, never thrown: the message's other files
 * are spooled already and must be scanned. One place builds the download options for auto-scan,
 * the message menu and `/vt file` alike.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { AttachmentRefusedError, spoolAttachment } from './attachments.js';
import type { AttachmentLike, Planned } from './message-plan.js';
import type { Indicator, SpooledFile } from './outcome.js';

/** The configured download limits (ATTACHMENT_HOSTS, MAX_FILE_MB). */
export type AttachmentLimits = Pick<Config, 'attachmentHosts' | 'maxFileBytes'>;

/** An attachment not scanned, and why (`reason`: host, size, fetch, or an unexpected error). */
export interface RefusedFile {
  attachment: AttachmentLike;
  reason: AttachmentRefusedError['reason'] | 'error';
  error: unknown;
}

export interface SpooledPlan {
  indicators: Indicator[];
  refused: RefusedFile[];
}

/**
 * Downloads one posted attachment under the configured limits, hashing it on the way.
 * @throws AttachmentRefusedError when the host is not allowed, the file is too large, or the CDN fails.
 */
export function spoolPosted(limits: AttachmentLimits, attachment: Omit<AttachmentLike, 'id'>, signal?: AbortSignal): Promise<SpooledFile> {
  return spoolAttachment(attachment.url, {
    allowedHosts: limits.attachmentHosts,
    maxBytes: limits.maxFileBytes,
    name: attachment.name,
    declaredSize: attachment.size,
    ...(signal ? { signal } : {}),
  });
}

/** The planned items as indicators, in plan order; attachments downloaded in parallel. */
export async function spoolPlanned(limits: AttachmentLimits, items: readonly Planned[], signal?: AbortSignal): Promise<SpooledPlan> {
  const refused: RefusedFile[] = [];
  const results = await Promise.all(
    items.map(async (item): Promise<Indicator | undefined> => {
      if (item.kind !== 'attachment') return { kind: item.kind, value: item.value };
      const { attachment } = item;
      try {
        const file = await spoolPosted(limits, attachment, signal);
        return { kind: 'file', value: file.sha256, file };
      } catch (error) {
        refused.push({ attachment, reason: error instanceof AttachmentRefusedError ? error.reason : 'error', error });
        return undefined;
      }
    }),
  );
  return { indicators: results.filter((i): i is Indicator => i !== undefined), refused };
}

/** Removes the temporary copies once their scan is over. */
export async function discardFiles(indicators: readonly Indicator[]): Promise<void> {
  await Promise.allSettled(indicators.map((i) => (i.kind === 'file' ? i.file.discard() : Promise.resolve())));
}

/**
 * What `spoolAttachment` (attachments.ts) creates: `mkdtemp(<tmp>/vt-guard-)`, six random
 * characters, holding one file named `attachment`. Other vt-guard temp folders (tests, stores)
 * carry a longer name and are never matched.
 */
const SPOOL_FOLDER = /^vt-guard-[A-Za-z0-9]{6}$/;
const SPOOL_FILE = 'attachment';

/**
 * Removes spool folders a crashed process left behind: those whose folder and file were last
 * written before `before` (the process start). A download in progress in another process keeps
 * writing its file, so its folder is younger and stays. Returns how many were removed; never throws.
 * @param folder where to look; the OS temporary folder by default
 */
export async function removeStaleSpools(before: number, folder: string = tmpdir()): Promise<number> {
  let removed = 0;
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!SPOOL_FOLDER.test(name)) continue;
    const dir = join(folder, name);
    try {
      const entries = await readdir(dir);
      if (entries.some((e) => e !== SPOOL_FILE)) continue;
      const times = await Promise.all([dir, ...entries.map((e) => join(dir, e))].map(async (p) => (await stat(p)).mtimeMs));
      if (Math.max(...times) >= before) continue;
      await rm(dir, { recursive: true, force: true });
      removed++;
    } catch {
      // Gone meanwhile, or not ours to read: leave it.
    }
  }
  return removed;
}
