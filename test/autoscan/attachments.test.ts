/** Attachments are fetched only from allowed hosts and only within the size limit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR } from '../support/vt-double.js';
import { startHarness, type Harness } from '../support/autoscan-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('auto-scan attachments', () => {
  it('never fetches an attachment whose URL is on a host outside ATTACHMENT_HOSTS', async () => {
    const posted = await h.discord.postMessage({
      author: h.discord.members.member,
      attachments: [{ filename: 'eicar.com', bytes: Buffer.from(EICAR), host: 'cdn.evil.example' }],
    });
    await h.settled(posted);
    expect(h.discord.cdnHits).toEqual([]);
    expect(h.logs).toContainEqual(expect.objectContaining({ level: 40, msg: 'attachment not scanned', reason: 'host', host: 'cdn.evil.example' }));
    expect(h.repliesTo(posted.id)).toHaveLength(0);
  });

  it('does not download a file over MAX_FILE_MB', async () => {
    const posted = await h.discord.postMessage({
      author: h.discord.members.member,
      attachments: [{ filename: 'big.iso', bytes: Buffer.alloc(1024 * 1024 + 1, 1) }],
    });
    await h.settled(posted);
    expect(h.discord.cdnHits).toEqual([]);
    expect(h.vt.requests).toEqual([]);
  });

  it('downloads an allowed attachment once and looks it up by sha256', async () => {
    const posted = await h.discord.postMessage({ author: h.discord.members.member, attachments: [{ filename: 'eicar.com', bytes: Buffer.from(EICAR) }] });
    await h.settled(posted);
    expect(h.discord.cdnHits).toHaveLength(1);
    expect(h.vt.requestsTo(/^\/api\/v3\/files\/275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f$/)).toHaveLength(1);
    expect(h.repliesTo(posted.id)).toHaveLength(1);
  });

  it('skips attachments when autoscan_attachments is off', async () => {
    await h.set('autoscan_attachments', false);
    const hits = h.discord.cdnHits.length;
    const posted = await h.discord.postMessage({ author: h.discord.members.member, attachments: [{ filename: 'eicar2.com', bytes: Buffer.from(EICAR) }] });
    await h.settled(posted);
    expect(h.discord.cdnHits).toHaveLength(hits);
    expect(h.repliesTo(posted.id)).toHaveLength(0);
  });
});
