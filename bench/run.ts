/**
 * `npm run bench`: every benchmark, each printing figures and ratios measured side by side in this
 * one run (never a bare time to compare with another machine's). BENCH_ONLY=firehose,cached runs
 * only the named parts.
 */
import { benchAttachment } from './attachment.js';
import { benchCached } from './cached.js';
import { benchExtract } from './extract.js';
import { benchFirehose } from './firehose.js';
import { benchQuota } from './quota.js';

const PARTS: Record<string, () => Promise<void>> = {
  extract: benchExtract,
  quota: benchQuota,
  attachment: benchAttachment,
  cached: benchCached,
  firehose: benchFirehose,
};
const only = process.env.BENCH_ONLY?.split(',').map((p) => p.trim()).filter((p) => p !== '');
for (const [name, run] of Object.entries(PARTS)) {
  if (only === undefined || only.includes(name)) await run();
}
