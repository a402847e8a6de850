/**
 * Process entry: config → app → start. SIGINT/SIGTERM stop gracefully; a second signal exits at once.
 * Anything that escapes every catch site is logged, never allowed to kill the bot silently.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { newRefId } from './core/errors.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`vt-guard: ${error.message}\nSee .env.example for every setting.\n`);
      process.exit(2);
    }
    throw error;
  }

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
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await app.start();
  } catch (error) {
    log.fatal({ err: error }, startFailure(error));
    await app.stop();
    process.exit(1);
  }
}

/** One line saying what to fix, for the failures a person setting the bot up runs into. */
function startFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (/token/i.test(message)) return 'Discord refused the bot token: check DISCORD_TOKEN';
  if (code === 'EADDRINUSE') return 'HTTP_PORT is already in use: pick another port or unset HTTP_PORT';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT') {
    return `could not reach Discord (${String(code)}): check the network and DISCORD_API_URL`;
  }
  return `could not start: ${message}`;
}

main().catch((error: unknown) => {
  process.stderr.write(`vt-guard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
