import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { EICAR } from '../support/vt-double.js';
import { parseProm, sampleOf } from './prom-text.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { HTTP_PORT: '0' } });
});
afterAll(async () => h.close());

it('lists the reference id of a failed auto-scan on the status page, with where it failed and nothing of the message', async () => {
  await h.set('action', 'reply');
  // Discord refuses the answer with an error a retry after restart might heal: the scan fails at its catch site.
  h.discord.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, times: 5, status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
  const content = 'here is the invoice you asked for';
  const posted = await h.discord.postMessage({ author: h.discord.members.member, content, attachments: [{ filename: 'invoice-secret.com', bytes: Buffer.from(EICAR) }] });
  await h.settled(posted);
  const logged = h.logs.find((l) => l.msg === 'auto-scan failed');
  expect(typeof logged?.refId).toBe('string');

  const base = `http://127.0.0.1:${String(h.app.httpPort)}`;
  const html = await (await fetch(`${base}/`)).text();
  const errors = html.slice(html.indexOf('id="errors"'));
  expect(errors).toContain(String(logged?.refId));
  expect(errors).toContain('autoscan messageCreate');
  for (const secret of [content, 'invoice-secret', posted.id, h.discord.members.member.id]) expect(html).not.toContain(secret);
  expect(sampleOf(parseProm(await (await fetch(`${base}/metrics`)).text()), 'vtguard_autoscan_failures_total', { entry: 'messageCreate' })).toBe(1);
});
