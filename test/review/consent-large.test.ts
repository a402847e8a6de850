/** Consent before upload for a file over 32 MB: the Upload button goes through VirusTotal's upload URL. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { MODERATING_BOT_PERMISSIONS } from '../support/discord-double.js';
import { cardFor, current, eventually, press, told } from './review-support.js';

let h: Harness;
const BIG = Buffer.alloc(32 * 1024 * 1024 + 4096, 'vt-guard ');
const BIG_SHA = createHash('sha256').update(BIG).digest('hex');

beforeAll(async () => {
  h = await startHarness({ discord: { botRolePermissions: MODERATING_BOT_PERMISSIONS }, env: { MAX_FILE_MB: '40' } });
  h.vt.addFile({ content: BIG, name: 'big.iso', known: false, verdict: { harmless: 0, undetected: 70 } });
  await h.set('log_channel', h.discord.channels.log);
});
afterAll(async () => h.close());

it('uploads an unknown file over 32 MB through an upload URL once a moderator agrees', async () => {
  const posted = await h.discord.postMessage({ author: h.discord.members.member, attachments: [{ filename: 'big.iso', bytes: BIG }] });
  await h.settled(posted);
  const card = await cardFor(h, posted.id, 'Unknown to VirusTotal');
  expect(h.vt.uploads).toHaveLength(0);
  expect(await told(h, await press(h, h.discord.members.moderator, card, 'upload'))).toContain('Uploading');
  await eventually(() => (current(h, card).embeds[0]?.description ?? '').includes('Result: **'), 20_000);
  expect(h.vt.requestsTo('/api/v3/files/upload_url')).toHaveLength(1);
  expect(h.vt.uploads.map((u) => u.sha256)).toEqual([BIG_SHA]);
  // Not flagged: no action on the message, no review card.
  expect(h.repliesTo(posted.id)).toHaveLength(0);
}, 30_000);
