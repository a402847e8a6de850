/**
 * The VirusTotal and scanner modules import each name from the module that defines it, and no two
 * of them depend on each other (type-only imports count: a cycle of types still ties the modules
 * together and hides which one owns a definition).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? tsFiles(path) : e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports and re-exports of `file`, resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts')));
}

/** Every cycle reachable in the graph restricted to `files`, as module paths relative to src/. */
function cyclesAmong(files: readonly string[]): string[][] {
  const inside = new Set(files);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const dep of importsOf(file).filter((d) => inside.has(d))) {
      if (state.get(dep) === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), dep].map((p) => relative(SRC, p)));
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

const VT = tsFiles(join(SRC, 'vt'));
const SCANNER = tsFiles(join(SRC, 'scan')).filter((f) => /scan[/\\](scanner[^/\\]*|outcome)\.ts$/.test(f));

describe('module graph of vt/ and the scanner', () => {
  it('has no import cycle, type-only imports included', () => {
    expect(cyclesAmong([...VT, ...SCANNER])).toEqual([]);
  });

  it('sees a cycle made only of type imports (the check itself works)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vt-guard-imports-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import type { B } from './b.js';\nexport type A = B[];\n");
      writeFileSync(join(dir, 'b.ts'), "import type { A } from './a.js';\nexport interface B { a?: A }\n");
      writeFileSync(join(dir, 'c.ts'), "import type { A } from './a.js';\nexport type C = A;\n");
      expect(cyclesAmong(tsFiles(dir)).map((c) => c.map((p) => p.slice(p.lastIndexOf('/') + 1)))).toEqual([['a.ts', 'b.ts', 'a.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-exports nothing: the normalised Report, its parsers and ids are imported from their own modules', () => {
    const mine = ['report', 'normalise', 'ids', 'v2-report', 'v2-flagged-urls', 'v2-tier', 'v3-objects', 'parse', 'errors', 'backend', 'v2'].map((m) => join(SRC, 'vt', `${m}.ts`));
    const reexports = [...mine, ...SCANNER].filter((f) => /^export\s+(\*|(type\s+)?\{[^}]*\})\s+from\s/m.test(readFileSync(f, 'utf8')));
    expect(reexports.map((f) => relative(SRC, f))).toEqual([]);
  });
});
