/**
 * The lines shown above a result (what was skipped and why) within Discord's 2,000-character
 * message content: whole lines while they fit, then one line counting the rest. A message with many
 * refused attachments must not make the whole reply fail.
 */
import { LIMITS, truncate } from './defang.js';
import { translator } from '../../core/i18n.js';

/** `notes` joined by newlines, at most `max` characters; lines that do not fit are counted, not cut. */
export function fitNotes(notes: readonly string[], max: number = LIMITS.content, locale?: string): string {
  const tr = translator(locale);
  const all = notes.join('\n');
  if (all.length <= max) return all;
  const kept: string[] = [];
  let used = 0;
  for (const [i, note] of notes.entries()) {
    const rest = notes.length - i - 1;
    // Room for this line, and for the "…and N more" line should later ones not fit.
    const tail = rest > 0 ? `\n${tr('notes.more', { count: rest })}`.length : 0;
    const need = (kept.length > 0 ? 1 : 0) + note.length;
    if (used + need + tail > max) break;
    kept.push(note);
    used += need;
  }
  const dropped = notes.length - kept.length;
  if (dropped === 0) return kept.join('\n');
  kept.push(tr('notes.more', { count: dropped }));
  return truncate(kept.join('\n'), max);
}
