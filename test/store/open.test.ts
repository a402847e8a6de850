import { chmod, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { StoreError } from '../../src/store/store.js';
import { tempDirs } from '../support/store.js';

const tempDir = tempDirs();

describe('openStore', () => {
  it('creates the folder and the sqlite file when missing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'nested', 'deeper', 'vt.sqlite');
    const store = await openStore(`sqlite://${path}`);
    await store.cache.set('k', { a: 1 });
    expect(await store.cache.get('k')).toEqual({ a: 1 });
    await store.close();
    expect((await readFile(path)).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('keeps namespaces apart in one file and keeps data across reopen', async () => {
    const url = `sqlite://${join(await tempDir(), 'vt.sqlite')}`;
    const first = await openStore(url);
    await first.cache.set('same', 'cache');
    await first.quota.set('same', 'quota');
    await first.close();
    const second = await openStore(url);
    expect(await second.cache.get('same')).toBe('cache');
    expect(await second.quota.get('same')).toBe('quota');
    await second.close();
  });

  it('resolves relative paths against the working directory', async () => {
    const dir = await tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const store = await openStore('sqlite://data/rel.sqlite');
      await store.close();
    } finally {
      process.chdir(cwd);
    }
    expect((await readFile(join(dir, 'data', 'rel.sqlite'))).length).toBeGreaterThan(0);
  });

  it.runIf(process.platform === 'linux')('really closes every sqlite connection on close()', async () => {
    const path = join(await tempDir(), 'vt.sqlite');
    const handles = async (): Promise<number> => {
      const fds = await readdir('/proc/self/fd');
      const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return targets.filter((t) => t === path).length;
    };
    const store = await openStore(`sqlite://${path}`);
    expect(await handles()).toBeGreaterThan(0);
    await store.close();
    expect(await handles()).toBe(0);
  });

  it('refuses a corrupt file with a StoreError naming the file and what to do', async () => {
    const path = join(await tempDir(), 'corrupt.sqlite');
    await writeFile(path, 'this is not a database, just some text that is long enough to matter '.repeat(100));
    const error = await openStore(`sqlite://${path}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(path);
    expect((error as StoreError).message).toMatch(/not a usable SQLite database.*Move it aside/);
  });

  it('refuses a folder it cannot create with a StoreError', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'blocker'), 'a file where the folder should be');
    const path = join(dir, 'blocker', 'sub', 'vt.sqlite');
    const error = await openStore(`sqlite://${path}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/Cannot create the store folder .*blocker/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a read-only file with a StoreError', async () => {
    const dir = await tempDir();
    const path = join(dir, 'ro.sqlite');
    (await openStore(`sqlite://${path}`)).close().catch(() => undefined);
    await chmod(path, 0o444);
    await chmod(dir, 0o555);
    try {
      const error = await openStore(`sqlite://${path}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).toMatch(/cannot be opened for writing.*writable/);
    } finally {
      await chmod(dir, 0o755);
    }
  });

  it.runIf(process.platform === 'linux')('refuses a folder that cannot be created at once, without hanging', async () => {
    const started = Date.now();
    const error = await openStore('sqlite:///proc/vt-guard-nope/deeper/x.sqlite').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/Cannot create the store folder \/proc\/vt-guard-nope\/deeper/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.runIf(process.platform === 'linux')('refuses a location nobody may write (even root) with a StoreError', async () => {
    const error = await openStore('sqlite:///proc/vt-guard-test.sqlite').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/\/proc\/vt-guard-test\.sqlite cannot be opened for writing.*writable by the bot's user/);
  });

  it('refuses a path that is a folder with a StoreError', async () => {
    const dir = await tempDir();
    const path = join(dir, 'is-a-folder');
    await mkdir(path);
    const error = await openStore(`sqlite://${path}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(path);
  });

  it('says in one line that Redis cannot be reached, without the password in the URL', async () => {
    const error: unknown = await openStore('redis://:hunter2@127.0.0.1:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    const message = (error as StoreError).message;
    expect(message).toMatch(/^Cannot reach Redis at 127\.0\.0\.1:1 \(ECONNREFUSED\): start Redis there or fix STORE_URL$/);
    expect(message).not.toContain('hunter2');
  });

  it('rejects other URLs with an example', async () => {
    await expect(openStore('mysql://x')).rejects.toThrow(/Expected STORE_URL to start with sqlite:\/\/ \(e\.g\./);
  });
});
