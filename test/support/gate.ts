/**
 * A real QuotaGate on a real temporary SQLite store, with limits generous enough that tests which
 * are not about the quota never wait for it. Retries back off in milliseconds, not seconds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { VtClient } from '../../src/vt/client.js';
import { QuotaGate, type RetryOptions } from '../../src/vt/quota.js';
import { startVtDouble, type VtDouble, type VtDoubleOptions } from './vt-double.js';

export interface TestGateOptions {
  perMinute: number;
  perDay: number;
  perMonth: number;
  windowMs: number;
  /** Reuse a folder (to reopen the same store); a fresh temp folder otherwise, removed on close. */
  storeDir: string;
  retry: Partial<RetryOptions>;
  clock: () => number;
}

export interface TestGate {
  gate: QuotaGate;
  store: Store;
  /** The folder holding `store.sqlite`. */
  storeDir: string;
  /** Closes the gate and the store; removes the folder when it was created here. */
  close(): Promise<void>;
}

export async function openTestGate(options: Partial<TestGateOptions> = {}): Promise<TestGate> {
  const ownDir = options.storeDir === undefined;
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'vt-guard-gate-')));
  const store = await openStore(`sqlite://${join(storeDir, 'store.sqlite')}`);
  const gate = await QuotaGate.open({
    perMinute: options.perMinute ?? 10_000,
    perDay: options.perDay ?? 1_000_000,
    perMonth: options.perMonth ?? 10_000_000,
    windowMs: options.windowMs ?? 60_000,
    counters: store.quota,
    retry: { attempts: 4, baseMs: 5, maxMs: 50, ...options.retry },
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  let closed = false;
  return {
    gate,
    store,
    storeDir,
    async close() {
      if (closed) return;
      closed = true;
      await gate.close();
      await store.close();
      if (ownDir) await rm(storeDir, { recursive: true, force: true });
    },
  };
}

/** A gate, a VirusTotal double and a v3 client sending through that gate, closed by `cleanups`. */
export interface GatedClient {
  t: TestGate;
  vt: VtDouble;
  client: VtClient;
}

export async function startGatedClient(
  cleanups: Array<() => Promise<void>>,
  gateOptions: Partial<TestGateOptions>,
  doubleOptions: Partial<VtDoubleOptions> = {},
): Promise<GatedClient> {
  const vt = await startVtDouble({ perWindow: 10_000, perDay: 100_000, ...doubleOptions });
  cleanups.push(() => vt.close());
  const t = await openTestGate(gateOptions);
  cleanups.push(() => t.close());
  const client = new VtClient({ apiKey: vt.apiKey, origin: vt.origin, gate: t.gate });
  cleanups.push(() => client.close());
  return { t, vt, client };
}
