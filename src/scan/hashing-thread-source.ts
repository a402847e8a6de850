/**
 * The code the hashing thread runs (see hashing-thread.ts), kept as CommonJS source text and started
 * with `eval: true`: a worker file would resolve differently from src/ under tsx and vitest than from
 * dist/, and a string needs no loader at all. It only uses node: built-ins.
 *
 * Protocol, one message at a time and in order, so a reply means every earlier message is done:
 * - `{ op: 'open', job, fd }`: start a sha256 for a job writing to the already open `fd`;
 * - `{ op: 'slab', job, slab, length, position }`: hash `length` bytes of the (transferred) slab, write
 *   them at `position`, hand the slab back (`kind: 'slab'`); a failed write answers `kind: 'error'`
 *   with the error's code first and forgets the job, so its fd is never touched again;
 * - `{ op: 'finish', job }`: answer `kind: 'digest'` with the hex sha256 (or `dropped` if forgotten);
 * - `{ op: 'drop', job }`: forget the job, answer `kind: 'dropped'`.
 * The writes are synchronous on purpose: this thread exists to do them, and the main thread never waits.
 */
export const HASHING_THREAD_SOURCE = String.raw`
'use strict';
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { writeSync } = require('node:fs');
const jobs = new Map();
function writeAll(fd, bytes, length, position) {
  for (let done = 0; done < length;) done += writeSync(fd, bytes, done, length - done, position + done);
}
parentPort.on('message', (m) => {
  const job = jobs.get(m.job);
  if (m.op === 'open') {
    jobs.set(m.job, { hash: createHash('sha256'), fd: m.fd });
  } else if (m.op === 'slab') {
    if (job !== undefined) {
      try {
        const bytes = new Uint8Array(m.slab, 0, m.length);
        job.hash.update(bytes);
        writeAll(job.fd, bytes, m.length, m.position);
      } catch (error) {
        jobs.delete(m.job);
        const code = error !== null && typeof error === 'object' && typeof error.code === 'string' ? error.code : 'write failed';
        parentPort.postMessage({ job: m.job, kind: 'error', code });
      }
    }
    parentPort.postMessage({ job: m.job, kind: 'slab', slab: m.slab }, [m.slab]);
  } else if (m.op === 'finish' && job !== undefined) {
    jobs.delete(m.job);
    parentPort.postMessage({ job: m.job, kind: 'digest', sha256: job.hash.digest('hex') });
  } else {
    jobs.delete(m.job);
    parentPort.postMessage({ job: m.job, kind: 'dropped' });
  }
});
`;
