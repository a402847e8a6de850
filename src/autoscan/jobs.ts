/**
 * The persisted form of an auto-scan: enough to scan again and answer after a crash. Spooled files
 * are not kept (they are temporary). A job is stored before its attachments are downloaded, with
 * references to them (`attachments`), so a crash mid-download loses nothing: the resume fetches the
 * message again for fresh CDN links (stored-job.ts). A file already hashed (a follow-up) is kept as
 * its sha256 and name, and looked up by hash.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import { plannedKey, type Planned } from '../scan/message-plan.js';
import type { Indicator } from '../scan/outcome.js';
import type { JobStore } from '../store/jobs.js';

export type StoredIndicator =
  | { kind: 'url' | 'domain' | 'ip' | 'hash'; value: string }
  | { kind: 'file'; value: string; name: string; size: number };

/** A posted attachment not downloaded yet; `url` is only a fallback (Discord's links expire). */
export interface StoredAttachment {
  id: string;
  name: string;
  size: number;
  url: string;
}

export interface AutoScanJob {
  type: 'autoscan';
  guildId: string;
  channelId: string;
  messageId: string;
  authorId: string | null;
  indicators: StoredIndicator[];
  /** Attachments still to download (and then scan), by reference. */
  attachments?: StoredAttachment[];
  /** The planned keys (attachments by id), so a resumed message's later edits skip them too. */
  keys: string[];
  /**
   * Sent with the answer as Discord's message nonce (`enforce_nonce`), so a resend after a crash
   * between "sent" and "job completed" is dropped by Discord instead of answering twice.
   */
  nonce: string;
  /**
   * Follow-ups only (see follow-up.ts): which retry of the message's failed indicators this is
   * (absent: the first scan), and when it may run (ms since the epoch), so a resume after a restart
   * keeps waiting for a quota reset or a backoff instead of retrying at once.
   */
  attempt?: number;
  notBefore?: number;
  /**
   * Follow-ups only: when a run of it started (ms since the epoch). Absent, it never ran, so it
   * cannot have answered; present, only answers after it can be its own (resume.ts).
   */
  startedAt?: number;
}

export function toStored(indicator: Indicator): StoredIndicator {
  if (indicator.kind === 'file') {
    return { kind: 'file', value: indicator.value, name: indicator.file.name, size: indicator.file.size };
  }
  return { kind: indicator.kind, value: indicator.value };
}

export function toStoredAttachment(a: StoredAttachment): StoredAttachment {
  return { id: a.id, name: a.name, size: a.size, url: a.url };
}

/** The bytes are gone after a restart; VirusTotal still knows a file by its sha256. */
export function fromStored(stored: StoredIndicator): Indicator {
  return stored.kind === 'file' ? { kind: 'hash', value: stored.value } : { kind: stored.kind, value: stored.value };
}

/** Who posted what where: the message fields a job keeps. */
export interface JobMessage {
  id: string;
  channelId: string;
  guildId: string;
  author?: { id: string } | null;
}

/** A new job for the planned `items` of `message`: links as indicators, attachments by reference. */
export function jobFor(message: JobMessage, items: readonly Planned[]): AutoScanJob {
  const indicators: StoredIndicator[] = [];
  const attachments: StoredAttachment[] = [];
  for (const item of items) {
    if (item.kind === 'attachment') attachments.push(toStoredAttachment(item.attachment));
    else indicators.push({ kind: item.kind, value: item.value });
  }
  return {
    type: 'autoscan',
    guildId: message.guildId,
    channelId: message.channelId,
    messageId: message.id,
    authorId: message.author?.id ?? null,
    indicators,
    ...(attachments.length > 0 ? { attachments } : {}),
    keys: items.map(plannedKey),
    nonce: newNonce(),
  };
}

/** Discord accepts nonces of up to 25 characters. */
export function newNonce(): string {
  return randomBytes(12).toString('base64url');
}

/** Narrows a stored payload (the store is shared with other job kinds and older versions). */
export function isAutoScanJob(payload: unknown): payload is AutoScanJob {
  if (typeof payload !== 'object' || payload === null) return false;
  const p = payload as Partial<AutoScanJob>;
  return p.type === 'autoscan' && typeof p.channelId === 'string' && typeof p.messageId === 'string' && Array.isArray(p.indicators) && Array.isArray(p.keys) && typeof p.nonce === 'string' && isOptionalNumber(p.attempt) && isOptionalNumber(p.notBefore) && isOptionalNumber(p.startedAt) && (p.attachments === undefined || (Array.isArray(p.attachments) && p.attachments.every(isStoredAttachment)));
}

function isStoredAttachment(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Partial<StoredAttachment>;
  return typeof a.id === 'string' && typeof a.name === 'string' && typeof a.url === 'string' && typeof a.size === 'number' && Number.isFinite(a.size);
}

function isOptionalNumber(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value));
}

/** Auto-scans have their own queue, so other kinds of jobs never reach the resume below. */
export function autoScanJobs(ctx: AppContext): JobStore<AutoScanJob> {
  return ctx.store.jobs.queue('autoscan', (raw) => (isAutoScanJob(raw) ? raw : undefined));
}
