import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { startHealthServer } from '../src/http-server.js';
import { Metrics } from '../src/metrics.js';

describe('the health server', () => {
  it('answers /healthz by the bot state and /metrics in Prometheus text', async () => {
    const metrics = new Metrics();
    let problem: string | null = 'not connected to Discord';
    metrics.inc('vtguard_test_scans_total', 'Scans answered', { verdict: 'malicious' });
    metrics.inc('vtguard_test_scans_total', 'Scans answered', { verdict: 'malicious' });
    metrics.inc('vtguard_test_scans_total', 'Scans answered', { verdict: 'clean "quoted"' });
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
      expect(text).toContain('# TYPE vtguard_test_scans_total counter');
      expect(text).toContain('vtguard_test_scans_total{verdict="malicious"} 2');
      expect(text).toContain('vtguard_test_scans_total{verdict="clean \\"quoted\\""} 1');
      expect(text).toContain('vtguard_vt_queue_length 7');
      expect((await fetch(`${base}/other`)).status).toBe(404);
      expect((await fetch(`${base}/`)).status).toBe(404); // no page handed in
      expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('listens on 127.0.0.1 by default, so other interfaces cannot reach it', async () => {
    const server = await startHealthServer({ port: 0, metrics: new Metrics(), problem: () => null });
    try {
      expect(server.host).toBe('127.0.0.1');
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
      const outside = Object.values(networkInterfaces()).flat().find((i) => i?.family === 'IPv4' && !i.internal)?.address;
      if (outside !== undefined) expect(await reachable(outside, server.port)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('binds where it is told (0.0.0.0 in a container)', async () => {
    const server = await startHealthServer({ port: 0, host: '0.0.0.0', metrics: new Metrics(), problem: () => null });
    try {
      expect(server.host).toBe('0.0.0.0');
      const outside = Object.values(networkInterfaces()).flat().find((i) => i?.family === 'IPv4' && !i.internal)?.address;
      expect(await reachable(outside ?? '127.0.0.1', server.port)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('with a status token, /metrics needs it (bearer or ?token=) and /healthz stays open', async () => {
    const token = 'status-token-0123456789';
    const metrics = new Metrics();
    metrics.gauge('vtguard_vt_queue_length', 'Queue', () => 3);
    const server = await startHealthServer({ port: 0, statusToken: token, metrics, problem: () => null });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const bare = await fetch(`${base}/metrics`);
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await bare.text()).not.toContain('vtguard_');
      expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
      expect((await fetch(`${base}/metrics?token=${token.slice(0, -1)}`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: token } })).status).toBe(401);
      const byHeader = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(byHeader.status).toBe(200);
      expect(await byHeader.text()).toContain('vtguard_vt_queue_length 3');
      expect((await fetch(`${base}/metrics?token=${token}`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('the status page route', () => {
  const token = 'status-token-0123456789';
  const page = (): Promise<string> => Promise.resolve('<!doctype html><p>status</p>');

  it('serves / as HTML that may load nothing from anywhere, behind the same token as /metrics', async () => {
    const server = await startHealthServer({ port: 0, statusToken: token, metrics: new Metrics({ defaultMetrics: false }), problem: () => null, page });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const bare = await fetch(`${base}/`);
      expect(bare.status).toBe(401);
      expect(await bare.text()).not.toContain('status</p>');
      expect((await fetch(`${base}/?token=${token}x`)).status).toBe(401);
      const byQuery = await fetch(`${base}/?token=${token}`);
      expect(byQuery.status).toBe(200);
      expect(byQuery.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(byQuery.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(byQuery.headers.get('referrer-policy')).toBe('no-referrer'); // the ?token= must not travel on
      expect(await byQuery.text()).toContain('<p>status</p>');
      expect((await fetch(`${base}/`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('waits for an async health check, and a failing page answers 500 without details', async () => {
    const server = await startHealthServer({
      port: 0, metrics: new Metrics({ defaultMetrics: false }),
      problem: async () => { await new Promise((r) => setTimeout(r, 20)); return 'the store does not take writes'; },
      page: () => Promise.reject(new Error('secret detail')),
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unhealthy', problem: 'the store does not take writes' });
      const broken = await fetch(`${base}/`);
      expect(broken.status).toBe(500);
      expect(await broken.text()).not.toContain('secret');
    } finally {
      await server.close();
    }
  });
});

/** Whether a TCP connection to host:port is accepted. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
