/**
 * Process entry: config → app → start. SIGINT/SIGTERM stop gracefully; a second signal exits at once.
 * Anything that escapes every catch site is logged, never allowed to kill the bot silently.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.js';
import { newRefId } from './core/errors.js';
import { createLogger, secretScrubber, type Logger } from './log.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(firstRunHelp(error.problems) ?? `vt-guard: ${error.message}\nSee .env.example for every setting.\n`);
      process.exit(2);
    }
    throw error;
  }

  if (config.sharding.mode === 'manager') return runShardManager(config);

  // Loaded only after the config is valid: a config mistake answers at once, without loading discord.js.
  const { createApp } = await import('./app.js');
  const app = await createApp(config);
  const { log } = app.ctx;
  // The last catch site: what escapes every other one (discord.js throws inside its own gateway
  // handler on a malformed payload) is logged with a reference id and the bot keeps running.
  process.on('unhandledRejection', (reason) => log.error({ err: reason, refId: newRefId() }, 'unhandled rejection (kept running)'));
  process.on('uncaughtException', (error) => log.error({ err: error, refId: newRefId() }, 'uncaught exception (kept running)'));

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) process.exit(130);
    log.info({ signal }, 'signal received, stopping gracefully');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  if (config.sharding.mode === 'shards' && config.sharding.managed) {
    // Ctrl-C reaches the whole process group; a shard child waits for the manager's SIGTERM instead,
    // which would otherwise be a second signal and end the child before its graceful stop.
    process.on('SIGINT', () => log.info('SIGINT left to the shard manager'));
    // The manager is gone (killed outright): nobody would stop or respawn this shard.
    process.on('disconnect', () => {
      log.warn('the shard manager is gone (IPC channel closed); stopping this shard');
      onSignal('SIGHUP');
    });
  } else {
    process.on('SIGINT', onSignal);
  }

  try {
    await app.start();
  } catch (error) {
    const failure = startFailure(error, config);
    // stderr bypasses the logger, so the line is scrubbed here (an error message may quote a secret).
    const scrub = secretScrubber([config.discordToken, config.vtApiKey, config.statusToken ?? '']);
    process.stderr.write(`vt-guard: ${scrub(failure.line)}\n`);
    // A refused token needs no more than that line; for anything else the details are logged.
    if (failure.exitCode === 2) log.level = 'silent';
    else log.fatal({ err: error }, failure.line);
    await app.stop();
    process.exit(failure.exitCode);
  }
}

/**
 * SHARDS: this process only spawns and watches one child per shard (src/discord/shards.ts). A signal
 * stops every child and exits 0; a child that cannot start ends the manager with its exit code (2 for
 * a configuration problem, so a supervisor does not restart it in a loop) or 1.
 */
async function runShardManager(config: Config): Promise<void> {
  const { createShardManager } = await import('./discord/shards.js');
  const secrets = [config.discordToken, config.vtApiKey, config.statusToken ?? ''];
  const log = createLogger({ level: config.logLevel, secrets }).child({ module: 'shard-manager' });
  const manager = createShardManager(config, log, { entry: fileURLToPath(import.meta.url), execArgv: process.execArgv });
  process.on('unhandledRejection', (reason) => log.error({ err: reason, refId: newRefId() }, 'unhandled rejection (kept running)'));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) process.exit(130);
    log.info({ signal }, 'signal received, stopping every shard');
    manager.stop().then(() => exitAfterFlush(log, 0), (error: unknown) => {
      log.error({ err: error }, 'stop failed');
      exitAfterFlush(log, 1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await manager.start();
  } catch (error) {
    const childCode = (error as { shardExitCode?: unknown }).shardExitCode;
    const failure = childCode === 2 ? { line: 'a shard process stopped on a configuration problem (see its message above)', exitCode: 2 as const } : startFailure(error, config);
    process.stderr.write(`vt-guard: ${secretScrubber(secrets)(failure.line)}\n`);
    log.fatal({ err: error }, failure.line);
    await manager.stop();
    exitAfterFlush(log, failure.exitCode);
  }
}

function exitAfterFlush(log: Logger, code: number): void {
  log.flush();
  process.exit(code);
}

/** Where each required value comes from, for a first start without them. */
const REQUIRED_HELP: Record<string, string> = {
  DISCORD_TOKEN: 'the bot token: https://discord.com/developers/applications → your app → Bot → Reset Token',
  VT_API_KEY: 'your VirusTotal API key: https://www.virustotal.com → sign in → your profile → API key',
};

/** A few lines on what to put in `.env`, when only the required values are missing; null otherwise. */
function firstRunHelp(problems: readonly string[]): string | null {
  const missing = Object.keys(REQUIRED_HELP).filter((name) => problems.some((p) => p.startsWith(`${name} is required`)));
  if (missing.length === 0 || missing.length !== problems.length) return null;
  return [
    `vt-guard needs ${missing.join(' and ')} to start. Put them in a file named .env in ${process.cwd()}`,
    '(copy .env.example, which explains every other setting):',
    ...missing.map((name) => `  ${`${name}=…`.padEnd(16)} ${REQUIRED_HELP[name] ?? ''}`),
    'Then run `npm start` again.',
    '',
  ].join('\n');
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

interface StartFailure {
  /** One line saying what to fix. */
  line: string;
  /** 2 for what only a change of configuration fixes (a supervisor must not restart in a loop), 1 otherwise. */
  exitCode: 1 | 2;
}

/** What a person setting the bot up reads when it cannot start. */
function startFailure(error: unknown, config: Config): StartFailure {
  const message = error instanceof Error ? error.message : String(error);
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (code === 'TokenInvalid') {
    return {
      line: 'Discord refused the bot token (401 Unauthorized). Put the current token in DISCORD_TOKEN (Discord developer portal → Applications → your app → Bot → Reset Token).',
      exitCode: 2,
    };
  }
  if (syscall === 'listen' && code === 'EADDRINUSE') return { line: `HTTP_PORT ${String(config.httpPort)} is already in use: pick another port or unset HTTP_PORT`, exitCode: 1 };
  if (syscall === 'listen' || (syscall === 'getaddrinfo' && (error as { hostname?: unknown }).hostname === config.httpHost)) {
    return { line: `cannot listen on HTTP_HOST ${config.httpHost} port ${String(config.httpPort)} (${String(code)}): use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0`, exitCode: 2 };
  }
  const aborted = error instanceof Error && error.name === 'AbortError';
  if (aborted || (typeof code === 'string' && NETWORK_CODES.has(code))) {
    const why = aborted ? 'no answer' : String(code);
    return { line: `could not reach Discord at ${new URL(config.discordApiUrl).host} (${why}): check the network, firewall or proxy, and DISCORD_API_URL`, exitCode: 1 };
  }
  return { line: `could not start: ${message}`, exitCode: 1 };
}

main().catch((error: unknown) => {
  process.stderr.write(`vt-guard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
