import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { outcomeEmbed, withTally } from '../../../src/discord/render/card.js';
import { buildResultMessage } from '../../../src/discord/render/result-message.js';
import { decode } from '../../../src/discord/custom-id.js';
import { SHA, eicar, found } from '../../support/reports.js';

describe('buildResultMessage', () => {
  it('gives one indicator its buttons and a link to VirusTotal', () => {
    const { embeds, components } = buildResultMessage([found(eicar())], { threshold: 3 });
    expect(embeds).toHaveLength(1);
    const row = components[0];
    const buttons = row?.components ?? [];
    expect(buttons.map((b) => ('label' in b ? b.label : ''))).toEqual(['Vote malicious', 'Vote harmless', 'Details', 'Rescan', 'Open in VirusTotal']);
    const link = buttons[4];
    expect(link).toMatchObject({ style: ButtonStyle.Link, url: `https://www.virustotal.com/gui/file/${SHA}` });
    const first = buttons[0];
    expect(first && 'custom_id' in first ? decode(first.custom_id) : null).toEqual({ action: 'vote-malicious', kind: 'file', id: SHA });
  });

  it('puts several indicators behind one select menu, most severe first, and at most 10 embeds', () => {
    const clean = eicar({ stats: { malicious: 0, suspicious: 0, undetected: 69, harmless: 0, timeout: 0 }, engines: [] });
    const outcomes = [...Array.from({ length: 11 }, () => found(clean)), found(eicar())];
    const { embeds, components } = buildResultMessage(outcomes, { threshold: 3 });
    expect(embeds).toHaveLength(10);
    expect(embeds[0]?.title).toBe('File · malicious');
    expect(embeds[9]?.title).toBe('…and 3 more');
    expect(components).toHaveLength(1);
    expect(components[0]?.components[0]?.type).toBe(ComponentType.StringSelect);
  });

  it('rewrites the moderator tally in place', () => {
    const e = outcomeEmbed(found(eicar()), { threshold: 3, tally: { malicious: 0, harmless: 0 } });
    const updated = withTally(e, { malicious: 2, harmless: 1 });
    expect(updated.fields?.filter((f) => f.name === 'Moderator votes')).toEqual([{ name: 'Moderator votes', value: '2 malicious · 1 harmless', inline: true }]);
  });
});
