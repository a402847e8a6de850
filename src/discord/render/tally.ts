/** The moderator tally on a result embed, and rewriting it in place when a vote changes it. */
import type { APIEmbed } from 'discord-api-types/v10';

export interface ModeratorTally {
  malicious: number;
  harmless: number;
}

/** "Moderator votes: 2 malicious · 0 harmless" — also rewritten in place when a vote changes it. */
export const TALLY_FIELD = 'Moderator votes';
export function tallyText(tally: ModeratorTally): string {
  return `${tally.malicious} malicious · ${tally.harmless} harmless`;
}

/** A copy of `embed` whose moderator tally reads `tally` (field added when absent). */
export function withTally(embed: APIEmbed, tally: ModeratorTally): APIEmbed {
  const fields = (embed.fields ?? []).filter((f) => f.name !== TALLY_FIELD);
  return { ...embed, fields: [...fields, { name: TALLY_FIELD, value: tallyText(tally), inline: true }] };
}
