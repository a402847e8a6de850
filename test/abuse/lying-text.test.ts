/**
 * Text that lies about itself: bidi controls reorder what follows them, so `photo<RLO>gnp.exe`
 * displays as `photoexe.png`. Everything untrusted the bot shows reveals them instead. And a reply
 * with many notes stays within Discord's 2,000-character content.
 */
import { MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeSpan, defang, defangUrl, safeText } from '../../src/discord/render/defang.js';
import { fitNotes } from '../../src/discord/render/notes.js';
import { startCommandHarness, type CommandHarness } from '../support/command-harness.js';
import { SEED } from '../support/vt-double.js';

const RLO = '\u202E';
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F]/;

describe('bidi controls in rendering (unit)', () => {
  it('reveals every bidi control in safeText, codeSpan, defang and defangUrl', () => {
    const all = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F'];
    for (const c of all) {
      for (const shown of [safeText(`photo${c}gnp.exe`, 100), codeSpan(`photo${c}gnp.exe`), defang(`photo${c}gnp.exe`), defangUrl(`https://a.xyz/photo${c}gnp.exe`)]) {
        expect(shown).not.toMatch(BIDI);
        expect(shown).toContain(`U+${c.charCodeAt(0).toString(16).toUpperCase()}`);
      }
    }
    expect(codeSpan(`photo${RLO}gnp.exe`)).toBe('`photo<U+202E>gnp.exe`');
  });

  it('fits many notes within 2,000 characters, whole lines first, then a count', () => {
    const notes = Array.from({ length: 12 }, (_, i) => `Not checked: ${'x'.repeat(240)}-${i}`);
    const text = fitNotes(notes);
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toMatch(/…and \d+ more notes not shown\.$/);
    const shown = text.split('\n').slice(0, -1);
    expect(shown.every((line, i) => line === notes[i])).toBe(true);
    expect(fitNotes(['a', 'b'])).toBe('a\nb');
  });
});

describe('at the wire', () => {
  let h: CommandHarness;
  beforeAll(async () => { h = await startCommandHarness(); });
  afterAll(async () => h.close());

  it("shows a file named photo<RLO>gnp.exe with the control revealed in the bot's verdict", async () => {
    const posted = await h.discord.postMessage({
      author: h.discord.members.member, content: 'my holiday photo',
      attachments: [{ filename: `photo${RLO}gnp.exe`, bytes: Buffer.from(SEED.eicar.content) }],
    });
    const handle = await h.discord.runContextMenu({ member: h.discord.members.member, targetMessage: posted });
    const { body } = await h.sent(handle, (b) => b.embeds?.[0]?.title === 'File · malicious');
    // Markdown-escaped in the description (`\\<`), which Discord renders as `photo<U+202E>gnp.exe`.
    expect(body.embeds?.[0]?.description).toMatch(/photo\\?<U\+202E\\?>gnp/);
    expect(JSON.stringify(body)).not.toMatch(BIDI);
    expect(JSON.stringify(body.components ?? [])).not.toMatch(BIDI);
  });

  it('echoes /vt-config allow input only inside a code span, controls revealed', async () => {
    for (const sub of ['allow', 'unallow']) {
      const handle = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: sub, options: { domain: `**evil**${RLO}moc.xyz @everyone` } });
      const { body } = await h.sent(handle, (b) => b.content !== undefined);
      expect(body.flags).toBe(MessageFlags.Ephemeral);
      expect(body.content).not.toMatch(BIDI);
      // The input appears once, inside one code span at the start; the reason follows outside it.
      expect(body.content).toMatch(/^`\*\*evil\*\*<U\+202E>moc\[\.\]xyz @everyone`: /);
    }
  });

  it('keeps a context-menu reply with many refused attachments under 2,000 characters', async () => {
    const attachments = Array.from({ length: 15 }, (_, i) => ({
      filename: `${'quarterly-report-final-version-'.repeat(3)}${i}.pdf`, bytes: Buffer.from(`file ${i}`), host: 'cdn.evil.example',
    }));
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `see ${SEED.eicar.sha256}`, attachments });
    const handle = await h.discord.runContextMenu({ member: h.discord.members.member, targetMessage: posted });
    const call = await h.sent(handle, (b) => (b.embeds?.length ?? 0) > 0 && b.content !== undefined && b.content !== '');
    expect(call.status).toBe(200);
    expect(call.body.content?.length).toBeLessThanOrEqual(2000);
    expect(call.body.content).toContain('Not checked: ');
    expect(call.body.content).toMatch(/…and \d+ more notes? not shown\.$/);
  });
});
