/**
 * Polling a submitted analysis (URL submission, file upload, rescan) until VirusTotal completes it,
 * and the job record that lets a restarted bot finish the polling (`Scanner.resume`).
 */
import type { AnalysisRef, CallOptions, VtBackend } from '../vt/backend.js';
import type { Report } from '../vt/report.js';
import { abortableSleep } from '../vt/retry.js';
import type { Emit } from './scanner-flights.js';

/** What is stored while an analysis is in flight: enough to poll it and cache its report. */
export interface AnalysisJob {
  ref: AnalysisRef;
  /** Cache keys the finished report is stored under. */
  keys: string[];
}

/** Stored value → AnalysisJob, or undefined for anything else (old or damaged records). */
export function parseAnalysisJob(raw: unknown): AnalysisJob | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { ref, keys } = raw as { ref?: unknown; keys?: unknown };
  if (typeof ref !== 'object' || ref === null || !Array.isArray(keys)) return undefined;
  const { id, kind, resource } = ref as Record<string, unknown>;
  if (typeof id !== 'string' || (kind !== 'file' && kind !== 'url') || typeof resource !== 'string') return undefined;
  return { ref: { id, kind, resource }, keys: keys.filter((k): k is string => typeof k === 'string') };
}

export interface PollOptions {
  /** First wait before polling; later waits grow by half each time, up to 6×. */
  pollMs: number;
  maxPolls: number;
  emit: Emit;
  signal: AbortSignal;
}

/**
 * Polls until the analysis completes: its report (null when VirusTotal has no object for it), or
 * `undefined` when it did not complete within `maxPolls`. Polls wait at the lowest priority.
 */
export async function pollAnalysis(vt: VtBackend, ref: AnalysisRef, options: PollOptions): Promise<Report | null | undefined> {
  const call: CallOptions = { priority: 'poll', signal: options.signal, onQueued: (info) => options.emit({ stage: 'queued', ...info }) };
  let delay = options.pollMs;
  for (let attempt = 1; attempt <= options.maxPolls; attempt++) {
    await abortableSleep(delay, options.signal);
    options.emit({ stage: 'analysing', attempt });
    const status = await vt.getAnalysis(ref, call);
    if (status.status === 'completed') return status.report;
    delay = Math.min(delay * 1.5, options.pollMs * 6);
  }
  return undefined;
}
