/**
 * The optional operations endpoint (HTTP_PORT): `GET /healthz` for container health checks,
 * `GET /metrics` for Prometheus and `GET /` for the owner's status page. Nothing else is served. It
 * listens on loopback unless HTTP_HOST says otherwise; with STATUS_TOKEN set, `/metrics` and `/` need
 * that token (health stays open so a container's health check needs no secret).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';

export interface HealthServer {
  port: number;
  /** The address actually bound, e.g. `127.0.0.1`. */
  host: string;
  close(): Promise<void>;
}

export interface HealthOptions {
  port: number;
  /** Default 127.0.0.1: metrics describe the bot's traffic and are nobody else's business. */
  host?: string;
  /** When set, `/metrics` and `/` answer 401 unless the request carries it. */
  statusToken?: string | undefined;
  metrics: Metrics;
  /** Why the bot is not healthy, or null when it is (it should answer within a few seconds). */
  problem: () => Promise<string | null> | string | null;
  /** Why the bot works but not fully (e.g. its store refuses writes), or null. */
  degraded?: () => string | null;
  /** The status page's HTML; without it `/` is 404. */
  page?: () => Promise<string>;
}

/** The page loads nothing from anywhere: inline style and SVG only, no script. */
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? url.searchParams.get('token') ?? undefined;
}

export async function startHealthServer(options: HealthOptions): Promise<HealthServer> {
  const authorised = (req: IncomingMessage, url: URL): boolean => {
    const token = options.statusToken;
    const given = presentedToken(req, url);
    return token === undefined || (given !== undefined && sameSecret(given, token));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      const problem = await options.problem();
      // Degraded is 503 too: the bot answers, but a restart now would lose work kept in memory.
      const reason = problem === null ? (options.degraded?.() ?? null) : null;
      const body = problem !== null ? { status: 'unhealthy', problem } : reason !== null ? { status: 'degraded', reason } : { status: 'ok' };
      res.writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
      return;
    }
    const page = options.page;
    if (url.pathname !== '/metrics' && (url.pathname !== '/' || page === undefined)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!authorised(req, url)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="vt-guard status"', 'content-type': 'text/plain' }).end('unauthorized\n');
      return;
    }
    if (url.pathname === '/metrics') {
      const text = await options.metrics.render();
      res.writeHead(200, { 'content-type': options.metrics.contentType, 'cache-control': 'no-store' }).end(text);
      return;
    }
    const html = await (page as () => Promise<string>)();
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_POLICY, 'cache-control': 'no-store',
      'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff',
    }).end(html);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    host: address.address,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
