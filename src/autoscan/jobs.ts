/**
 * The persisted form of an auto-scan: enough to scan again and answer after a crash. Spooled files
 * are not kept (they are temporary); an attachment is kept as its sha256 and name, and resumed as a
 * hash look-up.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { Indicator } from '../scan/outcome.js';
import type { JobStore } from '../store/jobs.js';

export type StoredIndicator =
  | { kind: 'url' | 'domain' | 'ip' | 'hash'; value: string }
  | { kind: 'file'; value: string; name: string; size: number };

export interface AutoScanJob {
  type: 'autoscan';
  guildId: string;
  channelId: string;
  messageId: string;
  authorId: string | null;
  indicators: StoredIndicator[];
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
}

export function toStored(indicator: Indicator): StoredIndicator {
  if (indicator.kind === 'file') {
    return { kind: 'file', value: indicator.value, name: indicator.file.name, size: indicator.file.size };
  }
  return { kind: indicator.kind, value: indicator.value };
}

/** The bytes are gone after a restart; VirusTotal still knows a file by its sha256. */
export function fromStored(stored: StoredIndicator): Indicator {
  return stored.kind === 'file' ? { kind: 'hash', value: stored.value } : { kind: stored.kind, value: stored.value };
}

/** Discord accepts nonces of up to 25 characters. */
export function newNonce(): string {
  return randomBytes(12).toString('base64url');
}

/** Narrows a stored payload (the store is shared with other job kinds and older versions). */
export function isAutoScanJob(payload: unknown): payload is AutoScanJob {
  if (typeof payload !== 'object' || payload === null) return false;
  const p = payload as Partial<AutoScanJob>;
  return p.type === 'autoscan' && typeof p.channelId === 'string' && typeof p.messageId === 'string' && Array.isArray(p.indicators) && Array.isArray(p.keys) && typeof p.nonce === 'string' && isOptionalNumber(p.attempt) && isOptionalNumber(p.notBefore);
}

function isOptionalNumber(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value));
}

/** Auto-scans have their own queue, so other kinds of jobs never reach the resume below. */
export function autoScanJobs(ctx: AppContext): JobStore<AutoScanJob> {
  return ctx.store.jobs.queue('autoscan', (raw) => (isAutoScanJob(raw) ? raw : undefined));
}
