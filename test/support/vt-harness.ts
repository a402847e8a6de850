/**
 * Opens what the VirusTotal client tests need: the loopback double, a real quota gate (generous
 * limits) wrapped so tests can see every error a `send` threw (what the gate itself sees), and a
 * v3 or v2 client pointed at the double.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallOptions, FileSource, RequestGate } from '../../src/vt/backend.js';
import { VtClient, type VtClientOptions } from '../../src/vt/client.js';
import type { HttpTimeouts } from '../../src/vt/http.js';
import { VtV2Client } from '../../src/vt/v2.js';
import { openTestGate } from './gate.js';
import type { TestGateOptions } from './gate.js';
import { startVtDouble } from './vt-double.js';
import type { VtDouble, VtDoubleOptions } from './vt-double.js';

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

/** One folder per test process for the files tests upload, removed when the process exits. */
let filesDir: string | undefined;
function fileIn(name: string): string {
  if (filesDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'vt-guard-uploads-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    filesDir = dir;
  }
  return join(mkdtempSync(join(filesDir, 'f-')), name);
}

/** A file on disk holding `content`. */
export function memoryFile(name: string, content: string | Buffer): FileSource {
  const path = fileIn(name);
  writeFileSync(path, content);
  return { name, size: Buffer.byteLength(content), path };
}

/** A file on disk of `size` bytes (byte i = i mod 251), written in 1 MB pieces. */
export function generatedFile(name: string, size: number): FileSource {
  const path = fileIn(name);
  // 4177 × 251 bytes: each piece ends where the pattern restarts, so pieces join seamlessly.
  const piece = Buffer.alloc(4177 * 251);
  for (let i = 0; i < piece.length; i += 1) piece[i] = i % 251;
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < size; written += piece.length) writeSync(fd, piece, 0, Math.min(piece.length, size - written));
  } finally {
    closeSync(fd);
  }
  return { name, size, path };
}

/** The sha256 of a test file, as the double computes it. */
export function sha256Of(file: FileSource): string {
  return createHash('sha256').update(readFileSync(file.path)).digest('hex');
}
