import { describe, expect, it } from 'vitest';
import { startHealthServer } from '../src/http-server.js';
import { Metrics } from '../src/metrics.js';

describe('the health server', () => {
  it('answers /healthz by the bot state and /metrics in Prometheus text', async () => {
    const metrics = new Metrics();
    let problem: string | null = 'not connected to Discord';
    metrics.inc('vtguard_scans_total', 'Scans answered', { verdict: 'malicious' });
    metrics.inc('vtguard_scans_total', 'Scans answered', { verdict: 'malicious' });
    metrics.inc('vtguard_scans_total', 'Scans answered', { verdict: 'clean "quoted"' });
    metrics.gauge('vtguard_vt_queue_length', 'Queue', () => 7);
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', metrics, problem: () => problem });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const down = await fetch(`${base}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'unhealthy', problem: 'not connected to Discord' });
      problem = null;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toContain('# TYPE vtguard_scans_total counter');
      expect(text).toContain('vtguard_scans_total{verdict="malicious"} 2');
      expect(text).toContain('vtguard_scans_total{verdict="clean \\"quoted\\""} 1');
      expect(text).toContain('vtguard_vt_queue_length 7');
      expect((await fetch(`${base}/other`)).status).toBe(404);
      expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});
