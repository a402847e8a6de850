/**
 * Turns what members did and what the bot sent into terminal lines: who spoke, then each of the
 * bot's cards as its title and lead lines (engine counts, the defanged target), markdown stripped.
 */
import type { APIEmbed } from 'discord-api-types/v10';

export interface Said {
  content?: string | undefined;
  embeds?: readonly APIEmbed[] | undefined;
  flags?: number | undefined;
}

const EPHEMERAL = 64;

/** Discord markdown a terminal cannot show: bold, code spans, masked-link brackets, escapes. */
export function plain(text: string): string {
  return text.replace(/\*\*/g, '').replace(/`/g, '').replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1').replace(/\\([[\]().*_~|>#-])/g, '$1');
}

/** One member line: `member (Alex): text`. */
export function memberLine(who: string, text: string): string {
  return `\n${who.padEnd(22)} ${text}`;
}

/** The bot's answer: content first, then per embed its title and the first lines of its description. */
export function botLines(said: Said, note = ''): string[] {
  const prefix = `bot${note === '' ? '' : ` (${note})`}${(said.flags ?? 0) & EPHEMERAL ? ' [only they see it]' : ''}`;
  const lines: string[] = [];
  if (said.content !== undefined && said.content !== '') lines.push(...plain(said.content).split('\n'));
  for (const embed of said.embeds ?? []) {
    if (embed.title !== undefined) lines.push(`[${plain(embed.title)}]`);
    lines.push(...plain(embed.description ?? '').split('\n').filter((l) => l.trim() !== '').slice(0, 3));
    const tally = embed.fields?.find((f) => f.name === 'Moderator votes');
    if (tally !== undefined) lines.push(`Moderator votes: ${tally.value}`);
  }
  return lines.map((line, i) => `${(i === 0 ? `  ${prefix}` : '').padEnd(22)} ${line}`);
}
