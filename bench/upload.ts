/**
 * Upload benchmark (`node --import tsx bench/upload.ts [MB]`, default 200): uploads one file from
 * disk to the VirusTotal double's upload URL, once with the hand-written streamed multipart
 * encoder src/vt used before (bench/multipart-encoder.ts, over a file read stream) and once with
 * undici's `FormData` holding `fs.openAsBlob(path)` (what src/vt/http.ts uses now), each in a
 * fresh child process so its RSS is its own. Prints, side by side from the same run: seconds,
 * MB/s, and the child's RSS before the upload and its peak during it.
 * The double runs in this (parent) process and hashes what it receives, so a wrong body shows.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { FormData, request } from 'undici';
import { multipartBody } from './multipart-encoder.js';
import { startVtDouble } from '../test/support/vt-double.js';

type Mode = 'multipart' | 'formdata';
interface Figures { mode: Mode; seconds: number; baseRssMb: number; peakRssMb: number }

/** Child side: one upload (or none, for `idle`), then the figures as one JSON line. */
async function child(mode: Mode, origin: string, apiKey: string, path: string, size: number): Promise<void> {
  // Sampled during the upload: the process' lifetime peak is dominated by tsx compiling at start.
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);
  const started = performance.now();
  {
    const headers = { 'x-apikey': apiKey };
    const urlRes = await request(`${origin}/api/v3/files/upload_url`, { headers });
    const target = ((await urlRes.body.json()) as { data: string }).data;
    let res;
    if (mode === 'multipart') {
      const body = multipartBody({}, 'file', { name: 'big.bin', size, open: () => createReadStream(path) });
      res = await request(target, {
        method: 'POST',
        headers: { ...headers, 'content-type': body.contentType, 'content-length': String(body.length) },
        body: Readable.from(body.stream(), { objectMode: false }),
      });
    } else {
      const form = new FormData();
      form.append('file', await openAsBlob(path), 'big.bin');
      res = await request(target, { method: 'POST', headers, body: form });
    }
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`upload answered ${res.statusCode}`);
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const figures: Figures = { mode, seconds, baseRssMb: baseRss / 2 ** 20, peakRssMb: Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20 };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function parent(): Promise<void> {
  const mb = Number(process.argv[2] ?? 200);
  const size = mb * 1024 * 1024;
  const dir = await mkdtemp(join(tmpdir(), 'vt-guard-bench-'));
  const path = join(dir, 'big.bin');
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) bytes[i] = i % 251;
  await writeFile(path, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const vt = await startVtDouble({ perWindow: 1000, perDay: 100_000 });
  const self = fileURLToPath(import.meta.url);
  const run = (mode: Mode): Promise<Figures> => new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', self, 'child', mode, vt.origin, vt.apiKey, path, String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Figures) : reject(new Error(`${mode} child exited ${String(code)}`))));
  });
  try {
    console.log(`upload of ${mb} MB from disk to the VirusTotal double; RSS sampled every 5 ms in the uploading child`);
    for (const mode of ['multipart', 'formdata', 'multipart', 'formdata'] as const) {
      const before = vt.uploads.length;
      const f = await run(mode);
      const received = vt.uploads[before];
      const ok = received?.sha256 === sha256 && received.size === size;
      console.log(`${mode.padEnd(9)}  ${f.seconds.toFixed(2)} s  ${(mb / f.seconds).toFixed(0)} MB/s  RSS ${f.baseRssMb.toFixed(0)} → peak ${f.peakRssMb.toFixed(0)} MB (+${(f.peakRssMb - f.baseRssMb).toFixed(0)} MB)  body ${ok ? 'intact' : 'WRONG'}`);
    }
  } finally {
    await vt.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') {
  const [, , , mode, origin, apiKey, path, size] = process.argv;
  await child(mode as Mode, origin ?? '', apiKey ?? '', path ?? '', Number(size));
} else {
  await parent();
}
