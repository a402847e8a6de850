/**
 * Opens what the VirusTotal client tests need: the loopback double, a real quota gate (generous
 * limits) wrapped so tests can see every error a `send` threw (what the gate itself sees), and a
 * v3 or v2 client pointed at the double.
 */
import type { Readable } from 'node:stream';
import { Readable as ReadableStream } from 'node:stream';
import type { CallOptions, FileSource, RequestGate } from '../../src/vt/backend.js';
import { VtClient, type VtClientOptions } from '../../src/vt/client.js';
import type { HttpTimeouts } from '../../src/vt/http.js';
import { VtV2Client } from '../../src/vt/v2.js';
import { openTestGate } from '../support/gate.js';
import type { TestGateOptions } from '../support/gate.js';
import { startVtDouble } from '../support/vt-double.js';
import type { VtDouble, VtDoubleOptions } from '../support/vt-double.js';

export const CALL: CallOptions = { priority: 'command' };

export interface Harness<C> {
  vt: VtDouble;
  client: C;
  /** Errors thrown by `send` attempts, in order. */
  sendErrors: unknown[];
  close(): Promise<void>;
}

interface HarnessOptions {
  double?: Partial<VtDoubleOptions>;
  gate?: Partial<TestGateOptions>;
  timeouts?: Partial<HttpTimeouts>;
  maxResponseBytes?: number;
  apiKey?: string;
}

type Transport = Pick<VtClientOptions, 'timeouts' | 'maxResponseBytes'>;

async function open<C extends { close(): Promise<void> }>(make: (origin: string, key: string, gate: RequestGate, transport: Transport) => C, options: HarnessOptions): Promise<Harness<C>> {
  const vt = await startVtDouble({ perWindow: 1000, perDay: 100_000, ...options.double });
  const testGate = await openTestGate(options.gate);
  const sendErrors: unknown[] = [];
  const gate: RequestGate = {
    run: (send, callOptions) => testGate.gate.run(async (signal) => {
      try {
        return await send(signal);
      } catch (err) {
        sendErrors.push(err);
        throw err;
      }
    }, callOptions),
  };
  const transport: Transport = { timeouts: options.timeouts ?? {}, ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }) };
  const client = make(vt.origin, options.apiKey ?? vt.apiKey, gate, transport);
  return {
    vt, client, sendErrors,
    async close() {
      await client.close();
      await testGate.close();
      await vt.close();
    },
  };
}

export function openV3(options: HarnessOptions = {}): Promise<Harness<VtClient>> {
  return open((origin, apiKey, gate, transport) => new VtClient({ apiKey, origin, gate, ...transport }), options);
}

export function openV2(options: HarnessOptions = {}): Promise<Harness<VtV2Client>> {
  return open((origin, apiKey, gate, transport) => new VtV2Client({ apiKey, origin, gate, ...transport }), options);
}

/** A file from memory. */
export function memoryFile(name: string, content: string | Buffer): FileSource {
  const bytes = Buffer.from(content);
  return { name, size: bytes.length, open: (): Readable => ReadableStream.from([bytes]) };
}

/**
 * A large file generated lazily in 1 MiB chunks (byte i = i mod 251), so its size costs no memory.
 * The double hashes what it receives; `sha256` here is computed the same way by the test.
 */
export function generatedFile(name: string, size: number): FileSource {
  return {
    name, size,
    open(): Readable {
      let sent = 0;
      const chunk = Buffer.alloc(1024 * 1024);
      return new ReadableStream({
        read() {
          if (sent >= size) {
            this.push(null);
            return;
          }
          const n = Math.min(chunk.length, size - sent);
          for (let i = 0; i < n; i += 1) chunk[i] = (sent + i) % 251;
          sent += n;
          this.push(Buffer.from(chunk.subarray(0, n)));
        },
      });
    },
  };
}
