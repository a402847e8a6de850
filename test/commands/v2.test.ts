/** With the legacy v2 API: votes are kept locally and Details says what v2 cannot show. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../support/vt-double.js';
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

  it('flags a domain by the URLs on it that engines flagged, and says that is what the verdict rests on', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'domain', options: { domain: SEED.maliciousDomain } });
    const { body } = await h.sent(handle, (b) => b.embeds?.[0]?.title?.startsWith('Domain ·') === true);
    expect(body.embeds?.[0]?.title).toBe('Domain · malicious');
    expect(body.embeds?.[0]?.fields?.find((f) => f.name === 'Verdict based on')?.value)
      .toBe('1 URL on this domain that engines flagged (max 16/78); VirusTotal v2 gives no verdict for the domain itself.');
  });

  it('shows a malformed answer (a mistyped detected) as not checked, never clean', async () => {
    const hash = SEED.eicar.md5;
    h.vt.fault({ path: '/vtapi/v2/file/report' }, { status: 200, body: { response_code: 1, sha256: SEED.eicar.sha256, md5: hash, positives: 0, scans: { A: { detected: 'no', result: null } } } });
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash } });
    const { body } = await h.sent(handle, (b) => b.embeds?.[0]?.title?.startsWith('File ·') === true);
    expect(body.embeds?.[0]?.title).toBe('File · not checked');
    expect(embedText(body)).not.toMatch(/clean/i);
  });

  it('says a rescan is not available with a public key instead of calling the key refused', async () => {
    h.vt.setKeyTier('public');
    try {
      const press = await h.discord.pressButton({ member: h.discord.members.moderator, message: resultId, customId: customId('Rescan') });
      const edit = await h.discord.waitFor((c) => h.discord.callsFor(press).includes(c) && c.method === 'PATCH');
      const shown = JSON.stringify(edit.body);
      expect(shown).toContain('not available with this VirusTotal key');
      expect(shown).not.toMatch(/refused/);
      expect(h.vt.requestsTo('/vtapi/v2/file/rescan', 'POST').map((r) => r.status)).toEqual([403]);
    } finally {
      h.vt.setKeyTier('premium');
    }
  });
});
