import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const required = { DISCORD_TOKEN: 'discord-token-value', VT_API_KEY: 'vt-key-value' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(required);
    expect(config).toMatchObject({
      vtApiVersion: 3,
      vtApiUrl: 'https://www.virustotal.com',
      discordApiUrl: 'https://discord.com/api',
      discordLoginTimeoutMs: 60_000,
      vtRatePerMinute: 4,
      vtQuotaPerDay: 500,
      vtQuotaPerMonth: 15500,
      vtPollMs: 20000,
      cacheTtlMinutes: 360,
      storeUrl: 'sqlite://data/vt-guard.sqlite',
      jobLeaseMs: 30_000,
      attachmentHosts: ['cdn.discordapp.com', 'media.discordapp.net'],
      maxFileBytes: 32 * 1024 * 1024,
      devGuildId: undefined,
      httpPort: undefined,
      httpHost: '127.0.0.1',
      statusToken: undefined,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...required,
      VT_API_VERSION: '2',
      VT_API_URL: 'http://127.0.0.1:9999/',
      DISCORD_API_URL: 'http://127.0.0.1:8888/api',
      DISCORD_LOGIN_TIMEOUT_SECONDS: '5',
      VT_RATE_PER_MINUTE: '1000',
      VT_QUOTA_PER_DAY: '20000',
      VT_QUOTA_PER_MONTH: '600000',
      VT_POLL_MS: '50',
      CACHE_TTL_MINUTES: '0',
      STORE_URL: 'sqlite:///tmp/x.sqlite',
      ATTACHMENT_HOSTS: 'CDN.example.com, 127.0.0.1:8080',
      MAX_FILE_MB: '650',
      DEV_GUILD_ID: '123456789012345678',
      HTTP_PORT: '8080',
      HTTP_HOST: '0.0.0.0',
      STATUS_TOKEN: 'a-long-enough-status-token',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      vtApiVersion: 2,
      vtApiUrl: 'http://127.0.0.1:9999',
      discordApiUrl: 'http://127.0.0.1:8888/api',
      discordLoginTimeoutMs: 5000,
      vtRatePerMinute: 1000,
      cacheTtlMinutes: 0,
      attachmentHosts: ['cdn.example.com', '127.0.0.1:8080'],
      maxFileBytes: 650 * 1024 * 1024,
      devGuildId: '123456789012345678',
      httpPort: 8080,
      httpHost: '0.0.0.0',
      statusToken: 'a-long-enough-status-token',
      logLevel: 'debug',
    });
  });

  it('reads a Redis store and its job lease, and refuses a lease under a second', () => {
    expect(loadConfig({ ...required, STORE_URL: 'rediss://redis.internal:6380', JOB_LEASE_SECONDS: '5' })).toMatchObject({ storeUrl: 'rediss://redis.internal:6380', jobLeaseMs: 5000 });
    expect(() => loadConfig({ ...required, JOB_LEASE_SECONDS: '0' })).toThrow(/JOB_LEASE_SECONDS/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...required, VT_API_VERSION: '', HTTP_PORT: ' ' }).vtApiVersion).toBe(3);
  });

  it('lists every problem at once, each naming its variable', () => {
    let caught: unknown;
    try {
      loadConfig({
        VT_API_VERSION: '4',
        VT_RATE_PER_MINUTE: 'abc',
        STORE_URL: 'mysql://x',
        ATTACHMENT_HOSTS: 'a b',
        MAX_FILE_MB: '900',
        VT_API_URL: 'ftp://x',
        DEV_GUILD_ID: 'abc',
        LOG_LEVEL: 'loud',
        HTTP_HOST: 'http://0.0.0.0/',
        STATUS_TOKEN: 'short',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.map((p) => p.split(' ')[0]);
    expect(problems.sort()).toEqual(
      ['ATTACHMENT_HOSTS', 'DEV_GUILD_ID', 'DISCORD_TOKEN', 'HTTP_HOST', 'LOG_LEVEL', 'STATUS_TOKEN', 'MAX_FILE_MB', 'STORE_URL', 'VT_API_KEY', 'VT_API_URL', 'VT_API_VERSION', 'VT_RATE_PER_MINUTE'].sort(),
    );
  });

  it('never echoes a secret in its message', () => {
    try {
      loadConfig({ DISCORD_TOKEN: 'secret-token-abcdef', VT_API_KEY: 'secret-key-abcdef', VT_RATE_PER_MINUTE: '-1' });
    } catch (error) {
      expect(String(error)).not.toContain('secret-');
      return;
    }
    throw new Error('expected a ConfigError');
  });
});

describe('the process entry', () => {
  it('exits 2 with one readable message and no stack when config is missing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vt-guard-config-'));
    // An empty folder, so no .env of the developer's is read; tsx is resolved from the project.
    const tsx = pathToFileURL(join(import.meta.dirname, '../node_modules/tsx/dist/esm/index.mjs')).href;
    const result = spawnSync(process.execPath, ['--import', tsx, join(import.meta.dirname, '../src/main.ts')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', VT_RATE_PER_MINUTE: 'often' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('DISCORD_TOKEN is required');
    expect(result.stderr).toContain('VT_API_KEY is required');
    expect(result.stderr).toContain('VT_RATE_PER_MINUTE must be a whole number');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
