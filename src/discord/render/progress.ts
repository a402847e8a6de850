/** The in-place progress a command shows while it waits: queued → submitted → analysing. */
import type { APIEmbed } from 'discord-api-types/v10';
import type { Indicator, Progress } from '../../scan/outcome.js';
import { KIND_LABEL, targetLine } from './card-facts.js';

const PROGRESS_COLOUR = 0x5865f2;

/** `about 40 s`, `about 3 min`: a rough figure, because the queue moves with other servers' scans. */
export function roughWait(ms: number): string {
  if (ms < 1000) return 'a moment';
  if (ms < 60_000) return `about ${Math.ceil(ms / 1000)} s`;
  return `about ${Math.ceil(ms / 60_000)} min`;
}

export function progressEmbed(indicator: Indicator, progress: Progress): APIEmbed {
  const target = targetLine(indicator, false);
  const title = `${KIND_LABEL[indicator.kind]} · checking…`;
  switch (progress.stage) {
    case 'queued':
      return {
        title, color: PROGRESS_COLOUR,
        description: `${target}\nWaiting for a VirusTotal slot: position ${progress.position} in the queue, ${roughWait(progress.estimatedWaitMs)}. The bot's key allows only a few requests a minute.`,
      };
    case 'submitted':
      return { title, color: PROGRESS_COLOUR, description: `${target}\nSubmitted to VirusTotal; waiting for the analysis.` };
    case 'analysing':
      return { title, color: PROGRESS_COLOUR, description: `${target}\nVirusTotal is analysing it (check ${progress.attempt})…` };
  }
}

/** Progress for a scan of several items (the message context menu). */
export function scanningEmbed(done: number, total: number, latest?: Progress): APIEmbed {
  const stage = latest === undefined ? '' : latest.stage === 'queued'
    ? `\nWaiting for VirusTotal: position ${latest.position}, ${roughWait(latest.estimatedWaitMs)}.`
    : latest.stage === 'submitted' ? '\nSubmitted to VirusTotal for analysis…' : '\nVirusTotal is analysing…';
  return { title: `Checking ${total} item${total === 1 ? '' : 's'}…`, color: PROGRESS_COLOUR, description: `${done}/${total} done.${stage}` };
}
