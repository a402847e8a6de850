/**
 * `npm run bench`: every benchmark, each printing figures and ratios measured side by side in this
 * one run (never a bare time to compare with another machine's).
 */
import { benchExtract } from './extract.js';
import { benchQuota } from './quota.js';

await benchExtract();
await benchQuota();
