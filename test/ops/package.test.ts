/**
 * package.json keeps its promises: every package the code imports is declared, `engines` admits only
 * Node versions every installed dependency accepts, the native builds are approved, the licence exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;

interface Manifest {
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
  license: string;
}
const manifest = readJson('package.json') as unknown as Manifest;
const lock = readJson('package-lock.json') as { packages: Record<string, { version?: string; engines?: { node?: string } | string[]; dev?: boolean }> };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The package a bare specifier names: `discord-api-types/v10` → `discord-api-types`, `@keyv/sqlite` stays. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function importedPackages(dir: string): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const statements = text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'|\bimport\('([^']+)'\)/gm);
    for (const match of statements) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      found.add(packageOf(specifier));
    }
  }
  return found;
}

describe('package.json', () => {
  it('declares every package src/ imports as a runtime dependency', () => {
    const imported = [...importedPackages(join(root, 'src'))];
    expect(imported).toContain('discord-api-types');
    expect(imported.filter((name) => manifest.dependencies[name] === undefined)).toEqual([]);
  });

  it('declares every package test/ and bench/ import', () => {
    const declared = { ...manifest.dependencies, ...manifest.devDependencies };
    const imported = [...importedPackages(join(root, 'test')), ...importedPackages(join(root, 'bench'))];
    expect(imported.filter((name) => declared[name] === undefined)).toEqual([]);
  });

  it('pins discord-api-types to the version discord.js resolves, so there is only one copy', () => {
    const resolved = lock.packages['node_modules/discord-api-types']?.version;
    expect(manifest.dependencies['discord-api-types']).toBe(resolved);
    const nested = Object.keys(lock.packages).filter((path) => path.endsWith('/node_modules/discord-api-types'));
    expect(nested).toEqual([]);
  });

  it('admits only Node versions that every locked dependency accepts', () => {
    expect(semver.validRange(manifest.engines.node)).not.toBeNull();
    expect(semver.satisfies('22.19.0', manifest.engines.node)).toBe(true);
    expect(semver.satisfies('22.18.0', manifest.engines.node)).toBe(false);
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (path === '' || wanted === undefined) continue;
      if (!semver.subset(manifest.engines.node, wanted, { includePrerelease: false })) refused.push(`${path} wants ${wanted}`);
    }
    expect(refused).toEqual([]);
  });

  it('approves the install scripts the build needs (the SQLite addon, esbuild for tsx)', () => {
    expect(manifest.allowScripts).toMatchObject({ sqlite3: true, esbuild: true });
  });

  it('builds on install, so set-up is `npm ci` then `npm start`', () => {
    expect(manifest.scripts.prepare).toBe('npm run build');
    expect(manifest.scripts.start).toBe('node dist/main.js');
  });

  it('ships the MIT licence it names', () => {
    expect(manifest.license).toBe('MIT');
    expect(existsSync(join(root, 'LICENSE'))).toBe(true);
    const text = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(text).toMatch(/^MIT License/);
    expect(text).toMatch(/Copyright \(c\) \d{4} vt-guard contributors/);
  });

  it('matches README: two commands set up, one runs, one tests', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const setUp = readme.slice(readme.indexOf('## Set up and run'));
    const block = /```sh\n([\s\S]*?)```/.exec(setUp)?.[1] ?? '';
    const commands = block.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l !== '');
    expect(commands).toEqual(['npm ci', 'cp .env.example .env', 'npm start', 'npm test']);
    expect(existsSync(join(root, '.env.example'))).toBe(true);
    expect(manifest.scripts.test).toBeDefined();
  });
});
