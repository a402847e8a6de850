/** The in-place progress a command shows while it waits: queued → submitted → analysing. */
import type { APIEmbed } from 'discord-api-types/v10';
import type { Indicator, Progress } from '../../scan/outcome.js';
import { kindLabel, targetLine } from './card-facts.js';
import { translator } from '../../core/i18n.js';

const PROGRESS_COLOUR = 0x5865f2;

/** `about 40 s`, `about 3 min`: a rough figure, because the queue moves with other servers' scans. */
export function roughWait(ms: number, locale?: string): string {
  const tr = translator(locale);
  if (ms < 1000) return tr('progress.moment');
  if (ms < 60_000) return tr('progress.seconds', { count: Math.ceil(ms / 1000) });
  return tr('progress.minutes', { count: Math.ceil(ms / 60_000) });
}

export function progressEmbed(indicator: Indicator, progress: Progress, locale?: string): APIEmbed {
  const tr = translator(locale);
  const target = targetLine(indicator, false, locale);
  const title = tr('progress.checking', { kind: kindLabel(indicator.kind, locale) });
  switch (progress.stage) {
    case 'queued':
      return {
        title, color: PROGRESS_COLOUR,
        description: `${target}\n${tr('progress.queued', { position: progress.position, wait: roughWait(progress.estimatedWaitMs, locale) })}`,
      };
    case 'submitted':
      return { title, color: PROGRESS_COLOUR, description: `${target}\n${tr('progress.submitted')}` };
    case 'analysing':
      return { title, color: PROGRESS_COLOUR, description: `${target}\n${tr('progress.analysing', { attempt: progress.attempt })}` };
  }
}

/** Progress for a scan of several items (the message context menu). */
export function scanningEmbed(done: number, total: number, latest?: Progress, locale?: string): APIEmbed {
  const tr = translator(locale);
  const stage = latest === undefined ? '' : latest.stage === 'queued'
    ? `\n${tr('progress.manyQueued', { position: latest.position, wait: roughWait(latest.estimatedWaitMs, locale) })}`
    : `\n${tr(latest.stage === 'submitted' ? 'progress.manySubmitted' : 'progress.manyAnalysing')}`;
  return { title: tr('progress.manyTitle', { count: total }), color: PROGRESS_COLOUR, description: `${tr('progress.done', { done, total })}${stage}` };
}
