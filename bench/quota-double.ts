/**
 * The VirusTotal double for the quota benchmark, in a worker thread: VirusTotal is a remote server,
 * so its CPU must not share the event loop of the gate being measured (an in-process double turns
 * its own JSON work into "latency" that the gate then waits out).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startVtDouble } from '../test/support/vt-double.js';

/** What the benchmark sends the worker. */
export interface DoubleSetup {
  perWindow: number;
  windowMs: number;
  domains: string[];
  ips: string[];
}

export type DoubleRequest = { type: 'reset' } | { type: 'stats' } | { type: 'close' };
export type DoubleReply =
  | { type: 'ready'; origin: string; apiKey: string }
  | { type: 'reset'; baseline: number }
  | { type: 'stats'; statuses: number[] }
  | { type: 'closed' };

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const setup = workerData as DoubleSetup;
  const vt = await startVtDouble({ perWindow: setup.perWindow, windowMs: setup.windowMs, perDay: 1_000_000 });
  for (const domain of setup.domains) vt.addDomain(domain);
  for (const ip of setup.ips) vt.addIp(ip);
  const reply = (message: DoubleReply): void => port.postMessage(message);
  port.on('message', (message: DoubleRequest) => {
    if (message.type === 'reset') {
      vt.resetQuota();
      reply({ type: 'reset', baseline: vt.requests.length });
    } else if (message.type === 'stats') {
      reply({ type: 'stats', statuses: vt.requests.map((r) => r.status) });
    } else {
      void vt.close().then(() => {
        reply({ type: 'closed' });
        port.close();
      });
    }
  });
  reply({ type: 'ready', origin: vt.origin, apiKey: vt.apiKey });
}

if (parentPort !== null) await serve();
