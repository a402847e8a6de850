/** With the legacy v2 API: votes are kept locally and Details says what v2 cannot show. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonId, eicarResult, embedText, expectNoPings, startCommandHarness, type CommandHarness, type MessageBody } from '../support/command-harness.js';

let h: CommandHarness;
let resultId = '';
let result: MessageBody = {};
const customId = (label: string): string => buttonId(result, label);

beforeAll(async () => {
  h = await startCommandHarness({ env: { VT_API_VERSION: '2' } });
  ({ result, resultId } = await eicarResult(h));
});
afterAll(async () => {
  expectNoPings(h);
  await h.close();
});

describe('on the v2 API', () => {
  it('records a moderator vote locally and says VirusTotal v2 has no votes', async () => {
    const press = await h.discord.pressButton({ member: h.discord.members.moderator, message: resultId, customId: customId('Vote malicious') });
    const { body } = await h.sent(press, (b) => b.content?.includes('Recorded') === true);
    expect(body.content).toContain('v2 API');
    expect(h.discord.message(resultId)?.message.embeds[0]?.fields?.find((f) => f.name === 'Moderator votes')?.value).toBe('1 malicious · 0 harmless');
  });

  it('shows Details with the engines and says comments and behaviour are not available', async () => {
    const press = await h.discord.pressButton({ member: h.discord.members.member, message: resultId, customId: customId('Details') });
    const { body } = await h.sent(press, (b) => b.embeds?.[0]?.title?.startsWith('Details') === true);
    expect(embedText(body)).toContain('EICAR');
    expect(embedText(body)).toMatch(/Not available with the VirusTotal v2 API/);
  });
});
