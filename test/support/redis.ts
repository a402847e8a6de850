/**
 * A real `redis-server` on loopback for the tests that run the bot on Redis: a free port, no
 * snapshots, optionally an append-only file so a restart keeps the data (as a production Redis
 * would). Stopped (or killed) by the test; `restart()` brings it back on the same port and files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM; with AOF the data is on disk). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Stops it for good and removes its files. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${String(child.exitCode)} (is it installed? apt-get install -y redis-server)`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${String(port)} within 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startRedis(options: { aof?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'vt-guard-redis-'));
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', options.aof === true ? 'yes' : 'no', '--appendfsync', 'always', '--dir', dir];
    const spawned = spawn('redis-server', args, { stdio: 'ignore' });
    spawned.on('error', () => undefined); // ENOENT shows as an exit below
    child = spawned;
    await waitForPort(port, spawned);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${String(port)}`,
    port,
    stop,
    restart: launch,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
