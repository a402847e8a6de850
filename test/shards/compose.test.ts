/**
 * docker-compose.shards.yml, without a Docker engine: two containers of the one image, shard 0 and
 * shard 1 of the same count, on one store volume, each with its own published health port.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

interface Service { build?: unknown; image?: string; env_file?: string | string[]; environment?: Record<string, string>; ports?: string[]; volumes?: string[]; restart?: string; stop_grace_period?: string }

const root = join(import.meta.dirname, '../..');
const compose = parse(readFileSync(join(root, 'docker-compose.shards.yml'), 'utf8')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = Object.values(compose.services);

describe('docker-compose.shards.yml', () => {
  it('runs every shard of one count exactly once, each as a valid config', () => {
    const shardings = services.map((s) => loadConfig({ DISCORD_TOKEN: 'token-value', VT_API_KEY: 'key-value', ...s.environment }).sharding);
    const counts = new Set(shardings.map((s) => (s.mode === 'shards' ? s.count : 0)));
    expect([...counts]).toEqual([services.length]);
    expect(shardings.flatMap((s) => (s.mode === 'shards' ? s.ids : [])).sort()).toEqual([...Array(services.length).keys()]);
  });

  it('shares one store volume and the env file, and publishes a health port per shard', () => {
    for (const s of services) {
      expect([s.env_file].flat()).toContain('.env');
      expect(s.volumes).toEqual(['vt-guard-data:/app/data']);
      expect(s.restart).toBe('unless-stopped');
      expect(s.stop_grace_period).toBe('30s');
    }
    expect(Object.keys(compose.volumes ?? {})).toEqual(['vt-guard-data']);
    const hostPorts = services.flatMap((s) => s.ports ?? []).map((p) => p.split(':').slice(0, -1).join(':'));
    expect(new Set(hostPorts).size).toBe(services.length);
    expect(services.filter((s) => s.build !== undefined)).toHaveLength(1);
  });
});
