/**
 * `npm run demo` end to end: the demo entry spawns the bot as a separate built process (compiled
 * here into a private folder, as test/ops does) and its transcript must show the verdicts the
 * scripted chat is about, with every link defanged, and the moderator's vote.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntry } from './ops/built-process.js';

const root = join(import.meta.dirname, '..');
let built: ReturnType<typeof buildEntry>;
beforeAll(() => {
  built = buildEntry();
}, 60_000);
afterAll(() => built.remove());

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'demo', 'run.ts')], {
    cwd: root, env: { ...process.env, DEMO_BOT_ENTRY: built.entry }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
}

describe('npm run demo', () => {
  it('runs the real bot through the scripted chat, prints the verdicts and the vote, and exits 0 by itself', async () => {
    const { code, stdout, stderr, ms } = await runDemo();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(30_000);
    const blocks = stdout.split('\n\n');
    const answerTo = (said: string): string => blocks.find((b) => b.includes(said)) ?? '';
    expect(answerTo('[attached: eicar.com]')).toMatch(/\[File · malicious\]\s+59\/69 engines say malicious/);
    expect(answerTo('FREE NITRO')).toMatch(/\[URL · malicious\]\s+17\/78 engines say malicious · 3 suspicious\s+hxxps:\/\/discord-nitro-gift\[\.\]xyz\/claim/);
    expect(answerTo('the docs are at')).toContain('[URL · clean]');
    expect(answerTo('/vt url')).toContain('hxxp://malware[.]testing[.]example/payload/invoice.exe');
    expect(answerTo('Vote malicious')).toContain('Recorded your malicious vote');
    expect(answerTo('Vote malicious')).toContain('Moderator votes: 1 malicious · 0 harmless');
    // What the bot says shows dangerous links only defanged.
    const botSaid = stdout.split('\n').filter((l) => !/^\S/.test(l)).join('\n');
    expect(botSaid).not.toMatch(/https?:\/\/(discord-nitro-gift|malware\.testing)/);
  }, 60_000);
});
