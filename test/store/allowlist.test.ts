/** The built-in allowlist covers common safe sites, never the places on them where anyone can upload. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_ALLOWLIST, isAllowlistedUrl, isUserContent, registrableDomain } from '../../src/store/allowlist.js';

describe('isAllowlistedUrl', () => {
  it.each([
    'https://cdn.discordapp.com/attachments/1234567890/9876543210/setup.exe?ex=6762f0a1&is=67619f21&hm=3f2b8c0d',
    'https://media.discordapp.net/attachments/1234567890/9876543210/invoice.scr',
    'https://github.com/evil/tool/releases/download/v1.0/tool.exe',
    'https://github.com/evil/tool/raw/main/payload.ps1',
    'https://github.com/evil/tool/archive/refs/heads/main.zip',
    'https://github.com/user-attachments/files/123/setup.zip',
    'https://gist.github.com/evil/0123abcd',
    'https://sites.google.com/view/free-nitro-claim',
    'https://docs.google.com/forms/d/e/1FAIpQL/viewform',
    'https://drive.google.com/uc?export=download&id=abc',
    'https://script.google.com/macros/s/abc/exec',
    'https://www.google.com/url?q=https://evil.example/&sa=D',
    'https://www.youtube.com/redirect?q=https://evil.example/',
    'https://addons.mozilla.org/firefox/downloads/file/1/evil.xpi',
    'https://raw.githubusercontent.com/evil/tool/main/x.ps1',
    'https://storage.googleapis.com/bucket/x.exe',
    'https://www.dropbox.com/s/abc123/file.exe?dl=1',
    'https://onedrive.live.com/download?cid=1&resid=2',
    'https://1drv.ms/u/s!abc',
    'https://www.mediafire.com/file/abc/file.exe/file',
  ])('looks up %s', (url) => {
    expect(isAllowlistedUrl(url, [])).toBe(false);
  });

  it.each([
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    'https://github.com/nodejs/node',
    'https://github.com/nodejs/node/issues/1',
    'https://discord.com/channels/1/2/3',
    'https://www.google.com/search?q=cats',
    'https://en.wikipedia.org/wiki/EICAR_test_file',
  ])('skips %s', (url) => {
    expect(isAllowlistedUrl(url, [])).toBe(true);
  });

  it('lets a guild allowlist what the built-in list refuses to cover, by its own choice', () => {
    expect(isAllowlistedUrl('https://cdn.discordapp.com/attachments/1/2/a.png', ['discordapp.com'])).toBe(true);
    expect(isAllowlistedUrl('https://evil.example/x', ['discordapp.com'])).toBe(false);
  });

  it('matches hosts exactly, not by a look-alike suffix', () => {
    expect(isUserContent('cdn.discordapp.com.evil.xyz', '/x')).toBe(false);
    expect(isAllowlistedUrl('https://cdn.discordapp.com.evil.xyz/attachments/1/2/a.exe', [])).toBe(false);
  });
});

describe('BUILTIN_ALLOWLIST', () => {
  it('holds no upload or redirect service', () => {
    const uploadServices = ['githubusercontent.com', 'googleapis.com', 'dropbox.com', 'dropboxusercontent.com', 'live.com', '1drv.ms',
      'sharepoint.com', 'mediafire.com', 'discordapp.net', 'mega.nz', 'anonfiles.com', 'gofile.io', 'pastebin.com', 't.co', 'bit.ly'];
    for (const service of uploadServices) expect(BUILTIN_ALLOWLIST, service).not.toContain(registrableDomain(service));
  });
});
