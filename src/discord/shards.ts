/**
 * SHARDS: this process becomes a manager that spawns one child process per shard with discord.js's
 * ShardingManager, respawns a child that dies, and stops them all on a signal. Each child is the
 * normal bot (src/main.ts) told its shard by the manager's environment (see `readSharding` in
 * src/config.ts). The manager itself never connects to the gateway.
 */
import { ShardingManager, type Shard } from 'discord.js';
import type { ChildProcess } from 'node:child_process';
import type { Config } from '../config.js';
import { timerDelay } from '../core/timers.js';
import type { Logger } from '../log.js';
import { fetchShardCount } from './shard-count.js';

/** How long a stopping child may take (the bot waits up to 10 s for auto-scans) before it is killed. */
const STOP_GRACE_MS = 30_000;

export interface ShardManagerOptions {
  /** The script each child runs: the bot's own entry. */
  entry: string;
  /** Node flags for the children (e.g. a TypeScript loader under `npm run dev`). */
  execArgv?: readonly string[];
  /** Pause between two shards' logins; Discord allows one IDENTIFY per 5 s at max_concurrency 1. */
  spawnDelayMs?: number;
}

export interface ShardManager {
  /**
   * Resolves the shard count, then spawns the shards one after another, each waiting until it is
   * ready. Throws when one never is (`shardExitCode` on the error: how its process ended). Returns
   * early, without error, once `stop()` was called.
   */
  start(): Promise<void>;
  /** Stops every child (SIGTERM, SIGKILL after a grace period) and spawns no more; at any time, idempotent. */
  stop(): Promise<void>;
}

export function createShardManager(config: Config, log: Logger, options: ShardManagerOptions): ShardManager {
  const sharding = config.sharding;
  if (sharding.mode !== 'manager') throw new Error(`Expected SHARDS to be set, got sharding mode ${sharding.mode}`);
  let manager: ShardingManager | undefined;
  let stopping: Promise<void> | undefined;
  const stopped = new AbortController();

  const start = async (): Promise<void> => {
    const count = sharding.count === 'auto' ? await fetchShardCount(config) : sharding.count;
    if (stopped.signal.aborted) return;
    log.info({ count, auto: sharding.count === 'auto' }, 'spawning shards');
    const current = new ShardingManager(options.entry, {
      totalShards: count, token: config.discordToken, mode: 'process', respawn: true, execArgv: [...(options.execArgv ?? [])],
    });
    manager = current;
    let failedExitCode: number | undefined;
    current.on('shardCreate', (shard) => {
      // Every child inherits HTTP_PORT; each needs a port of its own, so shard n listens on HTTP_PORT + n.
      if (config.httpPort !== undefined && config.httpPort !== 0) (shard.env as Record<string, unknown>).HTTP_PORT = String(config.httpPort + shard.id);
      watchShard(shard, log, (code) => (failedExitCode ??= code));
    });
    // Our own loop instead of manager.spawn(): a stop during the pause between two logins must not
    // be followed by one more child.
    for (let id = 0; id < count && !stopped.signal.aborted; id += 1) {
      if (id > 0) await pause(options.spawnDelayMs ?? 5_500, stopped.signal);
      if (stopped.signal.aborted) break;
      try {
        await current.createShard(id).spawn(config.discordLoginTimeoutMs + 15_000);
      } catch (error) {
        if (stopped.signal.aborted) return;
        throw Object.assign(new Error(`shard ${String(id)} did not start: ${error instanceof Error ? error.message : String(error)}`), { shardExitCode: failedExitCode });
      }
    }
    if (!stopped.signal.aborted) log.info({ count }, 'every shard is ready');
  };

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      stopped.abort();
      if (manager) await stopShards(manager, log);
    })());

  return { start, stop };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timerDelay(ms));
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function watchShard(shard: Shard, log: Logger, onEarlyExit: (code: number) => void): void {
  const shardLog = log.child({ shard: shard.id });
  // mode: 'process' (set above), so each is a ChildProcess, never a Worker.
  shard.on('spawn', (child) => shardLog.info({ pid: (child as ChildProcess).pid }, 'shard process started'));
  shard.on('ready', () => shardLog.info('shard ready'));
  // A failed respawn (it never got ready) is emitted as 'error'; unheard, it would kill the manager.
  shard.on('error', (error) => shardLog.error({ err: error }, 'shard process failed to start again'));
  shard.on('death', (worker) => {
    const child = worker as ChildProcess;
    const code = child.exitCode ?? undefined;
    if (!shard.ready && code !== undefined) onEarlyExit(code);
    // discord.js respawns it (respawn: true) unless the manager is stopping.
    shardLog.warn({ pid: child.pid, exitCode: child.exitCode, signal: child.signalCode }, 'shard process exited');
  });
}

async function stopShards(manager: ShardingManager, log: Logger): Promise<void> {
  manager.respawn = false;
  const children = [...manager.shards.values()].map((s) => s.process).filter((p): p is ChildProcess => p !== null);
  log.info({ children: children.length }, 'stopping shards');
  await Promise.all(children.map((child) => stopChild(child)));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timerDelay(STOP_GRACE_MS))));
  if ((await Promise.race([exited, late])) === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}
