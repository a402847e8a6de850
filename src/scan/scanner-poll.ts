/**
 * Polling a submitted analysis (URL submission, file upload, rescan) until VirusTotal completes it,
 * and the job record that lets a restarted bot finish the polling (`Scanner.resume`). Polling is
 * bounded by time, not by a count: waits grow by half up to a cap, and the whole analysis gets one
 * deadline measured from its submission, which the stored job carries across restarts.
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
  /** When it was submitted (ms since the epoch): the deadline counts from here. Absent in old records. */
  startedAt?: number;
}

/** Stored value → AnalysisJob, or undefined for anything else (old or damaged records). */
export function parseAnalysisJob(raw: unknown): AnalysisJob | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { ref, keys, startedAt } = raw as { ref?: unknown; keys?: unknown; startedAt?: unknown };
  if (typeof ref !== 'object' || ref === null || !Array.isArray(keys)) return undefined;
  const { id, kind, resource } = ref as Record<string, unknown>;
  if (typeof id !== 'string' || (kind !== 'file' && kind !== 'url') || typeof resource !== 'string') return undefined;
  const job: AnalysisJob = { ref: { id, kind, resource }, keys: keys.filter((k): k is string => typeof k === 'string') };
  if (typeof startedAt === 'number' && Number.isFinite(startedAt)) job.startedAt = startedAt;
  return job;
}

/** VirusTotal did not complete the analysis before its deadline: the object stays "not checked". */
export class AnalysisUnfinishedError extends Error {
  constructor(
    readonly analysisId: string,
    /** How long it had, from submission. */
    readonly waitedMs: number,
  ) {
    super(`VirusTotal did not finish analysis ${analysisId} within ${Math.round(waitedMs / 60_000)} minutes`);
    this.name = 'AnalysisUnfinishedError';
  }
}

export interface PollOptions {
  /** First wait before polling; later waits grow by half each time, up to `maxWaitMs`. */
  pollMs: number;
  maxWaitMs: number;
  /** When the analysis was submitted and how long it may take, by `clock`. */
  startedAt: number;
  deadlineMs: number;
  clock: () => number;
  emit: Emit;
  signal: AbortSignal;
}

/**
 * Polls until the analysis completes: its report, or null when VirusTotal has no object for it.
 * Throws {@link AnalysisUnfinishedError} once `startedAt + deadlineMs` has passed (at once, without a
 * request, when a resumed analysis is already past it). Polls wait at the lowest priority.
 */
export async function pollAnalysis(vt: VtBackend, ref: AnalysisRef, options: PollOptions): Promise<Report | null> {
  const call: CallOptions = { priority: 'poll', signal: options.signal, onQueued: (info) => options.emit({ stage: 'queued', ...info }) };
  const deadline = options.startedAt + options.deadlineMs;
  let delay = Math.min(options.pollMs, options.maxWaitMs);
  for (let attempt = 1; ; attempt++) {
    const left = deadline - options.clock();
    if (left <= 0) throw new AnalysisUnfinishedError(ref.id, options.deadlineMs);
    await abortableSleep(Math.min(delay, left), options.signal);
    options.emit({ stage: 'analysing', attempt });
    const status = await vt.getAnalysis(ref, call);
    if (status.status === 'completed') return status.report;
    delay = Math.min(delay * 1.5, options.maxWaitMs);
  }
}
