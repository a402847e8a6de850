/** Temp folders and stores for store tests, cleaned up after each test. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';

export function tempDirs(): () => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vt-guard-store-'));
    dirs.push(dir);
    return dir;
  };
}

/** Opens a store in a fresh (or the given) folder; the last one opened is closed after each test. */
export function storeOpener(tempDir: () => Promise<string>): (dir?: string) => Promise<Store> {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return async (dir) => {
    store = await openStore(`sqlite://${join(dir ?? (await tempDir()), 'vt.sqlite')}`);
    return store;
  };
}
