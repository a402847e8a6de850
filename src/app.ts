/**
 * The composition root: builds the store, the quota gate, the VirusTotal client, the scanner and the
 * Discord client once, and hands each what it needs. It is the only module that wires the features
 * in (the commands, the buttons, auto-scan). Starting and stopping happen here too, so the real bot
 * and the end-to-end tests run the very same wiring.
 */
import type { Client } from 'discord.js';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { AutoScan } from './autoscan/auto-scan.js';
import { createComponentHandlers } from './buttons/dispatch.js';
import { COMMANDS } from './commands/index.js';
import { sweepDepartures, watchDepartures } from './discord/departures.js';
import { registerCommands, registersCommands } from './discord/register.js';
import { loginDiscord } from './discord/client.js';
import { nameOf, registerInteractions } from './discord/interactions.js';
import { timerDelay } from './core/timers.js';
import { localizeCommands } from './core/command-localizations.js';
import { createLogger, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { removeStaleSpools } from './scan/planned-files.js';
import { Scanner } from './scan/scanner.js';
import { openStore } from './store/index.js';
import { REDIS_PREFIX } from './store/store.js';
import { VtClient } from './vt/client.js';
import { QuotaGate, type QuotaGateApi, type RetryOptions } from './vt/quota.js';
import { SharedQuotaGate } from './vt/quota-shared.js';
import { VtV2Client } from './vt/v2.js';
import { V2_ENDPOINTS, V3_ENDPOINTS } from './vt/endpoints.js';
import { interactionNames } from './status/interaction-names.js';
import { timeFirstResponses } from './status/interaction-timing.js';
import { Operations } from './status/operations.js';
import { RecentErrors } from './status/recent-errors.js';

export interface AppOptions {
  /** Where log lines go (tests read them); stdout by default. */
  logDestination?: DestinationStream;
  clock?: () => number;
  /** Quota window length; tests shorten the minute. */
  quotaWindowMs?: number;
  /** The quota gate's own retries of a failed request; tests shorten them. */
  vtRetry?: Partial<RetryOptions>;
  /** Unit of auto-scan's retry backoff for indicators VirusTotal could not check; tests use ms. */
  autoScanRetryBaseMs?: number;
  /** How often the status page's queue chart takes a sample; default 10 s. */
  statusSampleMs?: number;
  /** Overall deadline of one auto-scan job (default ten minutes); tests shorten it. */
  autoScanDeadlineMs?: number;
  /** First pause before auto-scan retries job writes the store refused (default 1 s). */
  autoScanStoreRetryMs?: number;
  /** Redis store: how long a dead process's jobs stay held before another takes them over; tests shorten it. */
  jobLeaseMs?: number;
}

export interface App {
  ctx: AppContext;
  /** The logged-in client, once `start()` resolved. */
  readonly client: Client | undefined;
  /** The auto-scan of the logged-in client, once `start()` resolved. */
  readonly autoScan: AutoScan | undefined;
  /** Port of the health server, when HTTP_PORT is set. */
  readonly httpPort: number | undefined;
  start(): Promise<void>;
  /** Stops taking work, lets in-flight work finish or persist, closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** When this process started (ms since the epoch): spool folders older than that are leftovers. */
const PROCESS_STARTED_AT = Date.now() - process.uptime() * 1000;

/** Waits for `work`, but no longer than `ms`: a stop must not hang on a stuck request. */
async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timerDelay(ms));
  });
  await Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Opens the store and builds the context; nothing talks to Discord until `start()`. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const recentErrors = new RecentErrors();
  const root: Logger = createLogger({
    level: config.logLevel,
    onReference: (reference) => recentErrors.record(reference),
    secrets: [config.vtApiKey, config.discordToken, ...(config.statusToken === undefined ? [] : [config.statusToken])],
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  // With several shard processes writing to one place, every line says which shards it came from.
  const log = config.sharding.mode === 'shards' ? root.child({ shards: config.sharding.ids, shardCount: config.sharding.count }) : root;
  const clock = options.clock ?? Date.now;
  const metrics = new Metrics({ vtEndpoints: config.vtApiVersion === 2 ? V2_ENDPOINTS : V3_ENDPOINTS, interactions: interactionNames(COMMANDS) });
  const store = await openStore(config.storeUrl, { log, jobLeaseMs: options.jobLeaseMs ?? config.jobLeaseMs });
  const gateOptions = {
    perMinute: config.vtRatePerMinute,
    perDay: config.vtQuotaPerDay,
    perMonth: config.vtQuotaPerMonth,
    metrics,
    log: log.child({ module: 'quota' }),
    ...(options.quotaWindowMs === undefined ? {} : { windowMs: options.quotaWindowMs }),
    ...(options.vtRetry === undefined ? {} : { retry: options.vtRetry }),
  };
  // Processes sharing a Redis store share one quota; a SQLite store is one process's own.
  const gate: QuotaGateApi = store.redis
    ? new SharedQuotaGate({ ...gateOptions, redis: store.redis.client, prefix: `${REDIS_PREFIX}quota:` })
    : await QuotaGate.open({ ...gateOptions, counters: store.quota, clock });
  const vtOptions = { apiKey: config.vtApiKey, origin: config.vtApiUrl, gate, log: log.child({ module: 'vt' }), metrics };
  const vt = config.vtApiVersion === 2 ? new VtV2Client(vtOptions) : new VtClient(vtOptions);
  const scanner = new Scanner({
    vt,
    store,
    log: log.child({ module: 'scanner' }),
    cacheTtlMs: config.cacheTtlMinutes * 60_000,
    notFoundTtlMs: Math.min(config.cacheTtlMinutes, 10) * 60_000,
    pollMs: config.vtPollMs,
    clock,
    metrics,
  });
  const ctx: AppContext = { config, log, store, vt, gate, scanner, metrics, clock };

  let client: Client | undefined;
  let autoScan: AutoScan | undefined;
  let stopSweeping: (() => void) | undefined;
  const ops = new Operations({
    config, log, metrics, gate, store, recentErrors, clock, connected: () => client?.isReady() === true, sampleMs: options.statusSampleMs,
    degraded: () => (autoScan?.storeWritable === false ? 'store not writable' : null),
    storeProblem: () => store.redis?.problem() ?? null,
  });
  let stopping: Promise<void> | undefined;
  let sweep: NodeJS.Timeout | undefined;

  const start = async (): Promise<void> => {
    // Downloads a crashed run left behind; a resumed job downloads its attachments again.
    const staleSpools = await removeStaleSpools(PROCESS_STARTED_AT);
    if (staleSpools > 0) log.info({ removed: staleSpools }, 'removed attachment spool folders left by an earlier run');
    await ops.start();
    const loggedIn = await loginDiscord(config, log.child({ module: 'discord' }), (c) => {
      timeFirstResponses(c, metrics, nameOf);
      registerInteractions(ctx, c, { commands: COMMANDS, ...createComponentHandlers(ctx) });
      // One auto-scan per client: a login refused for the Message Content intent wires a second one.
      autoScan = new AutoScan(ctx, c, {
        ...(options.autoScanRetryBaseMs === undefined ? {} : { retryBaseMs: options.autoScanRetryBaseMs }),
        ...(options.autoScanDeadlineMs === undefined ? {} : { jobDeadlineMs: options.autoScanDeadlineMs }),
        ...(options.autoScanStoreRetryMs === undefined ? {} : { storeRetryMs: options.autoScanStoreRetryMs }),
      });
      autoScan.listen();
      stopSweeping?.();
      stopSweeping = watchDepartures(ctx, c);
    });
    client = loggedIn.client;
    metrics.set('vtguard_message_content_intent', {}, loggedIn.messageContent ? 1 : 0);
    log.info({ user: client.user?.tag, messageContent: loggedIn.messageContent }, 'connected to Discord');
    // Every command's names and descriptions in every locale of locales/, filled in once, centrally.
    if (registersCommands(config.sharding)) await registerCommands(ctx, client, localizeCommands(COMMANDS.map((c) => c.data)));
    else log.info('commands are registered by the process running shard 0');
    // Analyses submitted before a restart are joined first, so resumed auto-scans wait for them
    // instead of submitting the same URL or file again. Their failures are logged by the scanner.
    await scanner.resume();
    await autoScan?.resume();
    // Several processes on one Redis: a job whose process died is free once its lease expired, and
    // a live process takes it over here (resume claims only free jobs, and skips its own).
    if (store.jobs.claims.shared && autoScan !== undefined) {
      const running = autoScan;
      sweep = setInterval(() => {
        running.resume().catch((error: unknown) => log.warn({ module: 'autoscan', err: error }, 'could not look for jobs to take over'));
      }, timerDelay(Math.max(100, store.jobs.claims.leaseMs / 2)));
      sweep.unref();
    }
    // Servers left long enough ago (history_days) while the bot was down are deleted now.
    await sweepDepartures(ctx, client).catch((err: unknown) => log.warn({ module: 'departures', err }, 'departed-server sweep failed'));
  };

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      log.info('stopping');
      clearInterval(sweep);
      // Follow-ups waiting for their time stay stored; the next start resumes them.
      autoScan?.stopFollowUps();
      stopSweeping?.();
      ops.stopSampling();
      // Disconnect first: scans that end from here on are not answered but stay stored as jobs,
      // and the next start answers them (exactly once).
      await client?.destroy();
      await scanner.close();
      await gate.close();
      if (autoScan) await withTimeout(autoScan.idle(), 10_000);
      await vt.close();
      await ops.close();
      await store.close();
      log.info('stopped');
      log.flush();
    })());

  return {
    ctx,
    get client() {
      return client;
    },
    get autoScan() {
      return autoScan;
    },
    get httpPort() {
      return ops.port;
    },
    start,
    stop,
  };
}
