/** removeStaleSpools: only the spool folders attachments.ts creates, and only old ones. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { removeStaleSpools } from '../../src/scan/planned-files.js';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function folder(name: string, files: string[], ageMs: number): string {
  const dir = join(root ?? '', name);
  mkdirSync(dir);
  const when = new Date(Date.now() - ageMs);
  for (const f of files) {
    writeFileSync(join(dir, f), 'partial');
    utimesSync(join(dir, f), when, when);
  }
  utimesSync(dir, when, when);
  return dir;
}

it('removes old spool folders and leaves young ones, other vt-guard folders and foreign content alone', async () => {
  root = mkdtempSync(join(tmpdir(), 'vt-guard-stale-test-'));
  const stale = folder('vt-guard-Ab12Cd', ['attachment'], 60_000);
  const empty = folder('vt-guard-Zz99zz', [], 60_000);
  const young = folder('vt-guard-Ef34Gh', ['attachment'], 0);
  const store = folder('vt-guard-bot-Ab12Cd', ['store.sqlite'], 60_000);
  const foreign = folder('vt-guard-Ij56Kl', ['attachment', 'notes.txt'], 60_000);
  const removed = await removeStaleSpools(Date.now() - 30_000, root);
  expect(removed).toBe(2);
  expect(existsSync(stale)).toBe(false);
  expect(existsSync(empty)).toBe(false);
  for (const kept of [young, store, foreign]) expect(existsSync(kept)).toBe(true);
});
