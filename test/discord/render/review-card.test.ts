/** The review and consent cards as pure renderings of a stored card. */
import { describe, expect, it } from 'vitest';
import { renderConsentCard, renderReviewCard } from '../../../src/discord/render/review-card.js';
import type { ConsentCard, ReviewCard } from '../../../src/store/reviews.js';

const base: ReviewCard = {
  kind: 'review', guildId: '1', cardChannelId: '2', channelId: '3', messageId: '4', authorId: '5', header: 'Flagged by <@5>',
  evidence: { excerpt: 'hxxps://evil[.]xyz', files: [] }, targets: [{ kind: 'domain', id: 'evil.xyz', allow: 'evil.xyz', label: 'Domain `evil[.]xyz`' }],
  results: [{ title: 'Domain · malicious' }], actions: [], presses: { kick: [], ban: [] }, done: [], bot: { steps: [] },
};
const buttons = (card: ReviewCard): Record<string, boolean> => Object.fromEntries(
  renderReviewCard(card, { quorum: 1, tally: null }).components.flatMap((r) => r.components).map((b) => ['label' in b ? b.label ?? '' : '', 'disabled' in b ? b.disabled === true : false]));

describe('renderReviewCard', () => {
  it('shows who pressed Kick or Ban towards the quorum, only while it is pending', () => {
    const card = { ...base, presses: { kick: [], ban: ['7'] } };
    const fields = renderReviewCard(card, { quorum: 2, tally: null }).embeds[0]?.fields ?? [];
    expect(fields.find((f) => f.name === 'Waiting for more moderators')?.value).toBe('Ban: 1 of 2 — <@7>');
    const done = renderReviewCard({ ...card, done: ['banned'] }, { quorum: 2, tally: null }).embeds[0]?.fields ?? [];
    expect(done.some((f) => f.name === 'Waiting for more moderators')).toBe(false);
  });

  it('keeps the verdict cards after its own, and disables what can no longer be done', () => {
    expect(renderReviewCard(base, { quorum: 1, tally: null }).embeds.map((e) => e.title)).toEqual(['Review · flagged message', 'Domain · malicious']);
    expect(buttons(base)['Delete message']).toBe(false);
    const banned = buttons({ ...base, done: ['banned'] });
    expect([banned['Delete message'], banned.Timeout, banned.Kick, banned.Ban, banned.Rescan]).toEqual([true, true, true, true, false]);
  });

  it('shows the latest ten actions, newest last, naming the moderator or vt-guard', () => {
    const actions = Array.from({ length: 12 }, (_, i) => ({ at: 1_700_000_000_000 + i, by: i === 11 ? null : '9', what: `step ${i}` }));
    const field = renderReviewCard({ ...base, actions }, { quorum: 1, tally: null }).embeds[0]?.fields?.find((f) => f.name === 'Actions');
    const lines = field?.value.split('\n') ?? [];
    expect(lines).toHaveLength(10);
    expect(lines[0]).toContain('<@9>: step 2');
    expect(lines.at(-1)).toContain('vt-guard: step 11');
  });
});

describe('renderConsentCard', () => {
  it('offers the upload while waiting, with the privacy notice, and not after', () => {
    const card: ConsentCard = {
      kind: 'consent', guildId: '1', cardChannelId: '2', channelId: '3', messageId: '4', authorId: null,
      file: { name: 'a.exe', size: 2048, sha256: 'ab'.repeat(32) }, state: 'waiting', log: [],
    };
    const waiting = renderConsentCard(card);
    expect(waiting.embeds[0]?.description).toContain('shares the file with VirusTotal');
    expect(waiting.components[0]?.components[0]).toMatchObject({ label: 'Upload to VirusTotal', disabled: false });
    expect(renderConsentCard({ ...card, state: 'uploading' }).components[0]?.components[0]).toMatchObject({ disabled: true });
  });
});
