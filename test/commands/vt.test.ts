/** `/vt …` end to end: the real discord.js client, the Discord double and the VT double. */
import { MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../support/vt-double.js';
import { urlSha256 } from '../../src/vt/ids.js';
import { embedText, expectNoPings, startCommandHarness, type CommandHarness, type MessageBody } from '../support/command-harness.js';

let h: CommandHarness;
beforeAll(async () => {
  h = await startCommandHarness();
});
afterAll(async () => h.close());

const titled = (title: string) => (b: MessageBody): boolean => b.embeds?.some((e) => e.title === title) === true;

describe('/vt', () => {
  it('answers /vt hash with EICAR as 59/69 malicious and a link to its VirusTotal page', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
    const { body } = await h.sent(handle, titled('File · malicious'));
    expect(body.embeds?.[0]?.description).toContain('**59/69 engines**');
    const link = body.components?.[0]?.components.find((c) => c.url !== undefined);
    expect(link?.url).toBe(`https://www.virustotal.com/gui/file/${SEED.eicar.sha256}`);
    expect(body.components?.[0]?.components.map((c) => c.label)).toEqual(['Vote malicious', 'Vote harmless', 'Details', 'Rescan', 'Open in VirusTotal']);
  });

  it('answers a cached look-up with one REST call: the public reply itself, no deferral or edit', async () => {
    const first = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
    await h.sent(first, titled('File · malicious'));
    const requests = h.vt.requests.length;
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
    const { body } = await h.sent(handle, titled('File · malicious'));
    expect(body.embeds?.[0]?.description).toContain('**59/69 engines**');
    const calls = h.discord.callsFor(handle);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toMatchObject({ type: 4 });
    expect(((calls[0]?.body as { data?: { flags?: number } }).data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(0);
    expect(h.vt.requests.length).toBe(requests);
  });

  it('defers publicly at once', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'domain', options: { domain: SEED.maliciousDomain } });
    const first = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c));
    expect(first.body).toMatchObject({ type: 5 });
    expect(((first.body as { data?: { flags?: number } }).data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(0);
    const { body } = await h.sent(handle, titled('Domain · malicious'));
    expect(embedText(body)).toContain('malware[.]testing[.]example');
  });

  it('accepts a defanged URL and shows the target defanged', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'url', options: { url: 'hxxp://malware[.]testing[.]example/payload/invoice.exe' } });
    const { body } = await h.sent(handle, titled('URL · malicious'));
    expect(embedText(body)).toContain('hxxp://malware[.]testing[.]example/payload/invoice.exe');
    expect(embedText(body)).not.toContain('http://malware');
    expect(body.components?.[0]?.components.find((c) => c.url !== undefined)?.url).toBe(`https://www.virustotal.com/gui/url/${urlSha256(SEED.maliciousUrl)}`);
  });

  it('looks a private-looking link up by its domain only, and says so without showing the token', async () => {
    const before = h.vt.requestsTo(/\/urls/).length;
    const url = `https://${SEED.maliciousDomain}/reset-password?token=8f14e45fceea167a5a36dedd4bea2543`;
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'url', options: { url } });
    const { body } = await h.sent(handle, titled('Domain · malicious'));
    expect(embedText(body)).toContain('only its domain was looked up');
    expect(embedText(body)).not.toContain('8f14e45f');
    expect(h.vt.requestsTo(/\/urls/).length).toBe(before);
  });

  it('shows progress in place while a new URL is analysed, then the result', async () => {
    const url = 'https://brand-new.example/path';
    h.vt.addUrl(url, { known: false, verdict: { malicious: 5, undetected: 60 } });
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'url', options: { url } });
    await h.sent(handle, (b) => b.embeds?.[0]?.title === 'URL · checking…');
    const { body } = await h.sent(handle, titled('URL · malicious'));
    expect(body.embeds?.[0]?.description).toContain('submitted for analysis');
  });

  it('answers /vt ip with the owner and country', async () => {
    h.vt.addIp('45.9.148.108', { verdict: { malicious: 4, harmless: 60 }, owner: 'Evil Hosting', asn: 64_500, country: 'NL' });
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'ip', options: { address: '45.9.148.108' } });
    const { body } = await h.sent(handle, titled('IP address · malicious'));
    expect(embedText(body)).toContain('Evil Hosting');
    expect(embedText(body)).toContain('NL');
  });

  it.each([
    ['ip', 'address', '999.1.1.1', 'not an IP address'],
    ['ip', 'address', '10.0.0.1', 'private'],
    ['hash', 'hash', 'abc123', 'not an md5, sha1 or sha256'],
    ['domain', 'domain', 'not a domain', 'not a domain name'],
    ['url', 'url', 'javascript:alert(1)', 'Only http and https'],
  ])('refuses /vt %s %s:%j at once, ephemerally, without asking VirusTotal', async (subcommand, option, value, says) => {
    const before = h.vt.requests.length;
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand, options: { [option]: value } });
    const { body } = await h.sent(handle, (b) => b.content !== undefined);
    expect(body.flags).toBe(MessageFlags.Ephemeral);
    expect(body.content).toContain(says);
    expect(body.content).toMatch(/e\.g\./);
    expect(h.vt.requests.length).toBe(before);
  });

  it('uploads a file VirusTotal has never seen and says it is now shared', async () => {
    const handle = await h.discord.runCommand({
      member: h.discord.members.member, name: 'vt', subcommand: 'file',
      attachments: { file: { filename: 'new.bin', bytes: Buffer.from('never seen before by anyone 42') } },
    });
    const { body } = await h.sent(handle, (b) => /now shared with VirusTotal/.test(embedText(b)), 12_000);
    expect(body.embeds?.[0]?.title).toMatch(/^File · /);
    expect(h.vt.uploads).toHaveLength(1);
  });

  it('looks a known file up by sha256 without uploading it', async () => {
    const handle = await h.discord.runCommand({
      member: h.discord.members.member, name: 'vt', subcommand: 'file', attachments: { file: { filename: 'eicar.com', bytes: Buffer.from(SEED.eicar.content) } },
    });
    await h.sent(handle, titled('File · malicious'));
    expect(h.vt.uploads).toHaveLength(1);
  });

  it('replaces "thinking…" with the reason when the attachment cannot be fetched', async () => {
    const hits = h.discord.cdnHits.length;
    const handle = await h.discord.runCommand({
      member: h.discord.members.member, name: 'vt', subcommand: 'file',
      attachments: { file: { filename: 'x.exe', bytes: Buffer.from('MZ'), host: 'cdn.evil.example' } },
    });
    const { body, method } = await h.sent(handle, (b) => b.content !== undefined && b.content !== '');
    expect(method).toBe('PATCH');
    expect(body.embeds).toEqual([]);
    expect(body.content).not.toMatch(/ref `/);
    expect(h.discord.cdnHits.length).toBe(hits);
  });

  it('shows quota use ephemerally', async () => {
    const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'quota' });
    const { body } = await h.sent(handle, (b) => b.embeds !== undefined);
    expect(body.flags).toBe(MessageFlags.Ephemeral);
    expect(embedText(body)).toMatch(/This minute.*\d+\/10000/);
    expect(embedText(body)).toContain('in the queue');
  });

  it('never allows a ping in anything it sends', () => {
    expectNoPings(h);
  });
});
