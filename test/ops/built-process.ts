/**
 * Runs the bot as `npm start` does: `node dist/main.js`, compiled from the current sources into a
 * private folder (so a stale or missing dist/ cannot make these tests pass or fail).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

/** Compiles src/ with tsconfig.build.json into `<out>/dist`, beside a copy of locales/ as in the repository; returns the entry and a cleanup. */
export function buildEntry(): { entry: string; remove: () => void } {
  // Inside node_modules so the compiled files resolve the project's dependencies.
  const out = join(root, 'node_modules', '.cache', `vt-guard-built-${String(process.pid)}`);
  mkdirSync(out, { recursive: true });
  // The package scope stops at node_modules, so the folder declares ESM itself.
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(out, 'dist'), '--sourceMap', 'false'], { encoding: 'utf8', timeout: 60_000 });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}${built.stderr}`);
  // src/core/i18n.ts reads the translations from ../../locales, as from dist/ in a checkout or the image.
  cpSync(join(root, 'locales'), join(out, 'locales'), { recursive: true });
  return { entry: join(out, 'dist', 'main.js'), remove: () => rmSync(out, { recursive: true, force: true }) };
}

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the entry in `cwd` with exactly `env` (plus PATH) and waits for it to exit, up to `timeoutMs`. */
export function runEntry(entry: string, cwd: string, env: Record<string, string>, timeoutMs = 30_000): Promise<Exited> {
  const started = Date.now();
  const child = spawn(process.execPath, [entry], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${String(timeoutMs)} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
