import { describe, expect, it } from 'vitest';
import type { SettingsRecords } from '../../src/store/settings-records.js';
import type { Store } from '../../src/store/store.js';
import { BUILTIN_ALLOWLIST, isAllowlisted } from '../../src/store/allowlist.js';
import { parseSettingValue, SETTINGS } from '../../src/store/setting-values.js';
import { DEFAULT_SETTINGS, SettingsStore } from '../../src/store/settings.js';
import { BACKENDS, storeOpener, tempDirs, type Backend } from '../support/store.js';

/** Writes an old/damaged record straight into the backend, past the store's validation. */
async function damage(s: Store, backend: Backend, raw: Record<string, unknown>): Promise<void> {
  const bad = { ...raw, maliciousThreshold: 'lots', action: 'explode' };
  if (backend === 'sqlite') {
    await (s.settings as unknown as { records: { keyv: Store['cache'] } }).records.keyv.set('g1', { ...bad, allowlist: ['ok.com', 7] });
    return;
  }
  const client = s.redis?.client;
  if (client === undefined) throw new Error('expected a Redis store');
  await client.hSet('vt-guard:settings:g1', { maliciousThreshold: JSON.stringify(bad.maliciousThreshold), action: JSON.stringify(bad.action), logChannel: '{not json' });
  await client.sAdd('vt-guard:allowlist:g1', 'ok.com');
}

describe.each(BACKENDS)('guild settings (%s)', (backend) => {
  const tempDir = tempDirs();
  const open = storeOpener(tempDir, backend);

  it('starts from the documented defaults', async () => {
    const s = await open();
    expect(await s.settings.get('g1')).toEqual({
      autoscanLinks: true, autoscanAttachments: true, uploadMode: 'ask', uploadFiles: false, submitUrls: true,
      maliciousThreshold: 3, action: 'reply', reportClean: false, logChannel: null, memberRate: 5, autoscanReserve: 30,
      timeoutMinutes: 60, quorum: 1, appealText: '', escalation: 0, language: null, allowlist: [], allowlistHashes: [],
      automodSync: false, historyDays: 30, ignoredChannels: [], exemptRoles: [],
    });
    expect(DEFAULT_SETTINGS.action).toBe('reply');
  });

  it('stores a setting per guild and keeps it across reopen', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    await s.settings.set('g1', 'upload_files', 'on');
    await s.settings.set('g1', 'malicious_threshold', 5);
    await s.settings.set('g1', 'log_channel', '123456789012345678');
    await s.close();
    const again = await open(dir);
    const g1 = await again.settings.get('g1');
    expect(g1).toMatchObject({ uploadMode: 'on', uploadFiles: true, maliciousThreshold: 5, logChannel: '123456789012345678' });
    expect((await again.settings.get('g2'))).toMatchObject({ uploadMode: 'ask', uploadFiles: false });
  });

  it('reads an upload_files stored before ask existed: on stays on, the old default off becomes ask', async () => {
    const s = await open();
    // Written below SettingsStore, as an older version of the bot left them.
    const records = (s.settings as unknown as { records: SettingsRecords }).records;
    await records.setField('old-on', 'uploadFiles', true);
    await records.setField('old-off', 'uploadFiles', false);
    expect(await s.settings.get('old-on')).toMatchObject({ uploadMode: 'on', uploadFiles: true });
    expect(await s.settings.get('old-off')).toMatchObject({ uploadMode: 'ask', uploadFiles: false });
  });

  it('allowlists file hashes per guild, lower-cased, once, and drops damaged entries on read', async () => {
    const s = await open();
    const hash = 'AB'.repeat(32);
    expect(await s.settings.allowHash('g1', hash)).toEqual({ changed: true });
    expect(await s.settings.allowHash('g1', hash.toLowerCase())).toEqual({ changed: false });
    await expect(s.settings.allowHash('g1', 'abc')).rejects.toThrow(TypeError);
    expect((await s.settings.get('g1')).allowlistHashes).toEqual(['ab'.repeat(32)]);
    expect((await s.settings.get('g2')).allowlistHashes).toEqual([]);
    const records = (s.settings as unknown as { records: SettingsRecords }).records;
    for (const damaged of ['cd'.repeat(32), 'nope', '5']) await records.addToList('g3', 'allowlistHashes', damaged);
    expect((await s.settings.get('g3')).allowlistHashes).toEqual(['cd'.repeat(32)]);
  });

  it('falls back to defaults field by field when the stored record is damaged', async () => {
    const s = await open();
    await s.settings.set('g1', 'report_clean', true);
    const raw = (await s.settings.get('g1')) as unknown as Record<string, unknown>;
    // Simulate an old/damaged row: bad types are ignored, good fields kept.
    await damage(s, backend, raw);
    // Read as a process that has not seen the record yet (this one reuses its read for a moment).
    const g1 = await new SettingsStore((s.settings as unknown as { records: SettingsRecords }).records).get('g1');
    expect(g1).toMatchObject({ reportClean: true, maliciousThreshold: 3, action: 'reply', logChannel: null, allowlist: ['ok.com'] });
  });

  it('sees its own change at once and another process\'s within seconds', async () => {
    const s = await open();
    const records = (s.settings as unknown as { records: SettingsRecords }).records;
    const other = new SettingsStore(records);
    expect((await s.settings.get('g1')).action).toBe('reply');
    await other.set('g1', 'action', 'delete');
    expect((await other.get('g1')).action).toBe('delete');
    const started = Date.now();
    while ((await s.settings.get('g1')).action !== 'delete') await new Promise((resolve) => setTimeout(resolve, 100));
    expect(Date.now() - started).toBeLessThan(3_000);
    await s.settings.set('g1', 'action', 'react');
    expect((await s.settings.get('g1')).action).toBe('react');
  });

  it('offers every setting with a snake_case name, description and example', () => {
    expect(Object.keys(SETTINGS)).toEqual(['autoscan_links', 'autoscan_attachments', 'upload_files', 'submit_urls', 'malicious_threshold', 'action', 'report_clean', 'log_channel', 'member_rate', 'autoscan_reserve',
      'timeout_minutes', 'quorum', 'appeal_text', 'escalation', 'language', 'automod_sync', 'history_days']);
    for (const meta of Object.values(SETTINGS)) {
      expect(meta.description.length).toBeGreaterThan(5);
      expect(parseSettingValue(meta.name, meta.name === 'log_channel' ? '<#123456789012345678>' : meta.example).ok).toBe(true);
    }
  });

  it.each([
    ['autoscan_links', 'on', true], ['autoscan_links', 'OFF', false], ['submit_urls', 'yes', true], ['upload_files', 'Ask', 'ask'], ['upload_files', 'off', 'off'],
    ['timeout_minutes', '60', 60], ['quorum', '2', 2], ['escalation', 'off', 0], ['escalation', '3', 3],
    ['appeal_text', '  Write to Appeals@Example.com  ', 'Write to Appeals@Example.com'], ['appeal_text', 'None', ''],
    ['malicious_threshold', '1', 1], ['malicious_threshold', ' 70 ', 70], ['action', 'Delete', 'delete'],
    ['log_channel', '<#123456789012345678>', '123456789012345678'], ['log_channel', '123456789012345678', '123456789012345678'], ['log_channel', 'none', null],
    ['language', 'de', 'de'], ['language', 'PT-br', 'pt-BR'], ['language', 'auto', null],
  ] as const)('parses %s %j', (name, raw, value) => {
    expect(parseSettingValue(name, raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['autoscan_links', 'maybe', /on or off, e\.g\. `autoscan_links on`/],
    ['malicious_threshold', '0', /1 to 70, e\.g\. `malicious_threshold 3`/],
    ['malicious_threshold', '71', /1 to 70/],
    ['malicious_threshold', '2.5', /whole number/],
    ['action', 'ban', /none, react, reply,? or delete, e\.g\. `action reply`/],
    ['log_channel', '#general', /channel .* or none, e\.g\./],
    ['upload_files', 'maybe', /off, on,? or ask, e\.g\. `upload_files ask`/],
    ['quorum', '0', /1 to 10/], ['timeout_minutes', '40321', /1 to 40320/], ['escalation', 'never', /a whole number from 0 to 50/],
    ['appeal_text', 'x'.repeat(301), /up to 300 characters/],
    ['language', 'klingon', /auto or one of en, de, es-ES.*, e\.g\. `language de`/],
  ] as const)('rejects %s %j with a short error and an example', (name, raw, error) => {
    const result = parseSettingValue(name, raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });
});

describe.each(BACKENDS)('allowlist (%s)', (backend) => {
  const tempDir = tempDirs();
  const open = storeOpener(tempDir, backend);

  it.each([
    ['www.youtube.com', true], ['youtube.com', true], ['YOUTU.BE', true], ['en.wikipedia.org', true], ['github.com.', true],
    ['youtube.com.evil.xyz', false], ['evil-youtube.com', false], ['github.io', false], ['1.2.3.4', false], ['com', false],
  ])('built-in list: %s → %s', (host, allowed) => {
    expect(isAllowlisted(host, [])).toBe(allowed);
  });

  it('contains the documented domains', () => {
    for (const d of ['youtube.com', 'youtu.be', 'google.com', 'github.com', 'wikipedia.org', 'x.com', 'twitter.com', 'reddit.com', 'twitch.tv', 'spotify.com', 'tenor.com', 'giphy.com', 'imgur.com']) {
      expect(BUILTIN_ALLOWLIST).toContain(d);
    }
  });

  it('allows a guild domain by its registrable domain, and unallows it', async () => {
    const s = await open();
    expect(await s.settings.allow('g1', 'https://Shop.Example.co.uk/path')).toEqual({ ok: true, domain: 'example.co.uk', changed: true });
    expect(await s.settings.allow('g1', 'example.co.uk')).toEqual({ ok: true, domain: 'example.co.uk', changed: false });
    const { allowlist } = await s.settings.get('g1');
    expect(isAllowlisted('cdn.example.co.uk', allowlist)).toBe(true);
    expect(isAllowlisted('example.co.uk.evil.xyz', allowlist)).toBe(false);
    expect(isAllowlisted('cdn.example.co.uk', (await s.settings.get('g2')).allowlist)).toBe(false);
    expect(await s.settings.unallow('g1', 'www.example.co.uk')).toEqual({ ok: true, domain: 'example.co.uk', changed: true });
    expect((await s.settings.get('g1')).allowlist).toEqual([]);
  });

  it('refuses things that are not a domain, and whole shared-hosting suffixes', async () => {
    const s = await open();
    expect(await s.settings.allow('g1', 'co.uk')).toMatchObject({ ok: false, error: expect.stringMatching(/not a domain, e\.g\. example\.com/) as unknown });
    expect(await s.settings.allow('g1', '10.0.0.1')).toMatchObject({ ok: false, error: expect.stringMatching(/IP address/) as unknown });
    expect(await s.settings.allow('g1', 'github.io')).toMatchObject({ ok: false, error: expect.stringMatching(/shared hosting/) as unknown });
    expect(await s.settings.allow('g1', 'mysite.github.io')).toEqual({ ok: true, domain: 'mysite.github.io', changed: true });
    const { allowlist } = await s.settings.get('g1');
    expect(isAllowlisted('mysite.github.io', allowlist)).toBe(true);
    expect(isAllowlisted('evil.github.io', allowlist)).toBe(false);
  });

  it('loses no change when moderators edit at once', async () => {
    const s = await open();
    await Promise.all(['a.com', 'b.com', 'c.com', 'd.com', 'e.com'].map((d) => s.settings.allow('g1', d)));
    expect((await s.settings.get('g1')).allowlist).toEqual(['a.com', 'b.com', 'c.com', 'd.com', 'e.com']);
  });
});
