/**
 * The container, without a Docker engine: the Dockerfile, .dockerignore and docker-compose.yml are
 * parsed and checked point by point, and the image's own HEALTHCHECK and CMD are run against the
 * compiled bot, so none of them can silently rot.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startDiscordDouble } from '../support/discord-double.js';
import { startVtDouble } from '../support/vt-double.js';
import { buildEntry } from '../ops/built-process.js';
import { execForm, keyValues, logicalLines, parseDockerfile, splitOptions, type Stage } from './dockerfile.js';

const root = join(import.meta.dirname, '../..');
const dockerfile = parseDockerfile(join(root, 'Dockerfile'));
const runtime = dockerfile.stages.at(-1) as Stage;
const build = dockerfile.stages.find((s) => s.name === 'build') as Stage;
const all = (stage: Stage, keyword: string): string[] => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const one = (stage: Stage, keyword: string): string => {
  const found = all(stage, keyword);
  expect(found, `${keyword} in the ${stage.name ?? 'last'} stage`).toHaveLength(1);
  return found[0] ?? '';
};
const runtimeEnv = Object.assign({}, ...all(runtime, 'ENV').map(keyValues)) as Record<string, string>;
const healthcheck = splitOptions(one(runtime, 'HEALTHCHECK'));
const healthCommand = execForm(healthcheck.rest.replace(/^CMD\s+/, ''));

interface Compose {
  services: Record<string, { build?: unknown; image?: string; command?: string[]; profiles?: string[]; env_file?: string | string[]; environment?: Record<string, string>; volumes?: string[]; ports?: string[]; restart?: string; stop_grace_period?: string; depends_on?: Record<string, { required?: boolean }> }>;
  volumes?: Record<string, unknown>;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as Compose;
const service = compose.services['vt-guard'] ?? {};
const redisService = compose.services.redis ?? {};

describe('the Dockerfile reader', () => {
  it('joins continuations (skipping comments inside them) and reads ENV pairs', () => {
    const lines = logicalLines('# c\nRUN a \\\n # inner\n && b\n\nENV X=1 \\\n    Y="two words"\n');
    expect(lines).toEqual(['RUN a && b', 'ENV X=1 Y="two words"']);
    expect(keyValues('X=1 Y="two words"')).toEqual({ X: '1', Y: 'two words' });
    expect(splitOptions('--interval=30s --timeout=5s CMD ["node"]')).toEqual({ options: { interval: '30s', timeout: '5s' }, rest: 'CMD ["node"]' });
  });
});

describe('the Dockerfile', () => {
  it('runs the Node major CI tests (22), which package.json admits', () => {
    const ciNode = /node@(\d+)/.exec(readFileSync(join(root, '.ci/run'), 'utf8'))?.[1];
    expect(ciNode).toBe('22');
    for (const stage of dockerfile.stages) expect(stage.from).toMatch(new RegExp(`^node:${ciNode ?? ''}(-|$)`));
    const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(semver.intersects(`^${ciNode ?? ''}`, engines)).toBe(true);
  });

  it('builds the SQLite addon in a build stage and ships only the runtime', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    const buildRuns = all(build, 'RUN').join('\n');
    expect(buildRuns).toMatch(/apt-get install[^\n]*\bg\+\+/);
    expect(buildRuns).toMatch(/\bnpm ci\b/);
    expect(runtimeEnv.NODE_ENV).toBe('production');
    // npm ci builds dist/ through `prepare`, so the sources must be there first.
    const copies = build.instructions.map((i) => `${i.keyword} ${i.args}`);
    expect(copies.findIndex((c) => /^COPY src\b/.test(c))).toBeLessThan(copies.findIndex((c) => /^RUN npm ci\b/.test(c)));
    expect(buildRuns).toMatch(/npm prune[^\n]*--omit=dev/);
    // node-gyp is sqlite3's optional build tool; object files are leftovers of the compile.
    expect(buildRuns).toMatch(/npm prune[^\n]*--omit=optional|rm -rf[^\n]*node_modules\/node-gyp/);
    expect(buildRuns).toMatch(/rm -rf[^\n]*node_modules\/sqlite3\/build\/Release\/obj\*/);
    const runtimeRuns = all(runtime, 'RUN').join('\n');
    expect(runtimeRuns).not.toMatch(/apt-get|npm (ci|install)|node-gyp|g\+\+/);
    const copied = all(runtime, 'COPY');
    for (const copy of copied) expect(copy).toMatch(/^--from=build \/app\/(package\.json|node_modules|dist|locales)\s/);
  });

  it('runs as a non-root user', () => {
    const user = one(runtime, 'USER');
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const keywords = runtime.instructions.map((i) => i.keyword);
    expect(keywords.indexOf('USER')).toBeLessThan(keywords.indexOf('CMD'));
  });

  it('sets HTTP_PORT with EXPOSE and binds 0.0.0.0 through HTTP_HOST', () => {
    expect(runtimeEnv.HTTP_HOST).toBe('0.0.0.0');
    expect(runtimeEnv.HTTP_PORT).toMatch(/^\d+$/);
    expect(one(runtime, 'EXPOSE')).toBe(runtimeEnv.HTTP_PORT);
    expect(runtimeEnv.STORE_URL).toMatch(/^sqlite:\/\/\/app\/data\//);
    expect(one(runtime, 'VOLUME')).toContain('/app/data');
  });

  it('has a HEALTHCHECK that asks /healthz with node (no curl in slim images) and a timeout', () => {
    expect(healthcheck.options.timeout).toMatch(/^\d+s$/);
    expect(healthCommand?.[0]).toBe('node');
    expect(healthCommand?.join(' ')).toContain("'/healthz'");
    expect(healthCommand?.join(' ')).toContain('process.env.HTTP_PORT');
    expect(healthcheck.rest).not.toMatch(/\b(curl|wget)\b/);
  });

  it('starts node itself (exec form), so docker stop’s SIGTERM reaches the bot', () => {
    expect(execForm(one(runtime, 'CMD'))).toEqual(['node', 'dist/main.js']);
    expect(all(runtime, 'ENTRYPOINT')).toEqual([]);
    expect(all(runtime, 'STOPSIGNAL').every((s) => s === 'SIGTERM')).toBe(true);
  });

  it('is built from a context without node_modules, .env or data/', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.env', 'data']) expect(ignored.some((l) => l.replace(/^\/|\/$/g, '') === entry), entry).toBe(true);
  });
});

describe('docker-compose.yml', () => {
  it('runs the bot from this Dockerfile with the env file, a named volume, restart and a 30 s grace period', () => {
    expect(Object.keys(compose.services)).toEqual(['vt-guard', 'redis']);
    expect(service.build).toBeDefined();
    expect([service.env_file].flat()).toContain('.env');
    const [volumeName, mountPoint] = (service.volumes?.[0] ?? '').split(':');
    expect(Object.keys(compose.volumes ?? {})).toContain(volumeName);
    expect(mountPoint).toBe('/app/data');
    expect(service.restart).toBe('unless-stopped');
    expect(service.stop_grace_period).toBe('30s');
  });

  it('offers Redis only under the redis profile, append-only on a named volume, unpublished, and the bot does not need it otherwise', () => {
    expect(redisService.profiles).toEqual(['redis']);
    expect(redisService.image).toMatch(/^redis:7/);
    expect(redisService.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(Object.keys(compose.volumes ?? {})).toContain((redisService.volumes?.[0] ?? '').split(':')[0]);
    expect(redisService.ports).toBeUndefined();
    expect(service.depends_on?.redis?.required).toBe(false);
  });

  it('keeps the health server reachable even when .env sets HTTP_HOST or HTTP_PORT (environment wins over env_file)', () => {
    expect(service.environment).toMatchObject({ HTTP_HOST: '0.0.0.0', HTTP_PORT: runtimeEnv.HTTP_PORT });
    // `docker run --env-file .env` has no such override: .env.example must not assign them.
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    expect(example).not.toMatch(/^HTTP_(HOST|PORT)=/m);
  });
});

describe('the image’s commands against the compiled bot', () => {
  let built: ReturnType<typeof buildEntry>;
  beforeAll(() => {
    built = buildEntry();
  }, 60_000);
  afterAll(() => built.remove());

  it('HEALTHCHECK passes while connected, CMD stops on SIGTERM within the grace period, then HEALTHCHECK fails', async () => {
    const discord = await startDiscordDouble();
    const vt = await startVtDouble();
    const dir = mkdtempSync(join(tmpdir(), 'vt-guard-container-'));
    const port = await freePort();
    const env = { PATH: process.env.PATH ?? '', ...runtimeEnv, HTTP_PORT: String(port), STORE_URL: `sqlite://${join(dir, 'data/vt-guard.sqlite')}` };
    const check = (): number | null =>
      spawnSync(process.execPath, (healthCommand ?? []).slice(1), { env, encoding: 'utf8', timeout: 10_000 }).status;
    const [, ...cmdArgs] = execForm(one(runtime, 'CMD')) ?? [];
    const child = spawn(process.execPath, cmdArgs.map((a) => (a === 'dist/main.js' ? built.entry : a)), {
      cwd: dir,
      env: { ...env, DISCORD_TOKEN: discord.token, VT_API_KEY: vt.apiKey, VT_API_URL: vt.origin, DISCORD_API_URL: discord.apiUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!out.includes('connected to Discord')) {
        if (Date.now() > deadline) throw new Error(`bot did not connect:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(out).toContain(`"host":"0.0.0.0","port":${String(port)}`);
      expect(check()).toBe(0);

      const stopping = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const grace = Number.parseInt(service.stop_grace_period ?? '0', 10) * 1000;
      expect(Date.now() - stopping).toBeLessThan(grace / 2);
      expect(check()).toBe(1);
    } finally {
      child.kill('SIGKILL');
      await Promise.all([discord.close(), vt.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
