/** isSensitiveUrl: URLs that must be looked up by domain only, and ordinary ones that need not. */
import { describe, expect, it } from 'vitest';
import { extractIndicators } from '../../src/scan/extract.js';
import { isSensitiveUrl } from '../../src/scan/sensitive.js';

const SENSITIVE: [string, string][] = [
  ['userinfo', 'https://user@example.com/'],
  ['user and password', 'https://admin:hunter2@example.com/panel'],
  ['token parameter', 'https://example.com/api?token=abc'],
  ['access_token parameter', 'https://example.com/cb?access_token=xyz'],
  ['api key parameter', 'https://maps.example.com/js?key=AIzaSyD-123'],
  ['password parameter', 'https://example.com/login?user=a&password=b'],
  ['signature parameter', 'https://bucket.s3.amazonaws.com/f?X-Amz-Signature=abc'],
  ['OAuth code', 'https://example.com/callback?code=4%2F0Adeu5B'],
  ['token in the fragment', 'https://example.com/#access_token=ya29.a0AfH6SM&token_type=Bearer'],
  ['long token-like query value', 'https://example.com/x?u=9f8a7B6c5D4e3F2a1b0C9d8E'],
  ['long token-like path segment', 'https://example.com/s/Ab3dE5fG7hJ9kL1mN3pQ5rS7'],
  ['JWT in the path', 'https://example.com/v/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig123abc'],
  ['password reset', 'https://example.com/reset-password?id=1'],
  ['password reset path', 'https://accounts.example.com/password/reset/confirm'],
  ['forgot password', 'https://example.com/forgot'],
  ['magic login link', 'https://app.example.com/magic-link/abc'],
  ['e-mail verification', 'https://example.com/verify?e=1'],
  ['invite link', 'https://example.com/invite/abc'],
  ['Telegram private invite', 'https://t.me/+AbCdEf123'],
  ['WhatsApp group invite', 'https://chat.whatsapp.com/ABCdef123'],
  ['Google Docs', 'https://docs.google.com/document/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit'],
  ['Google Drive', 'https://drive.google.com/file/d/abc/view'],
  ['Dropbox shared link', 'https://www.dropbox.com/s/abc/file.pdf?dl=0'],
  ['OneDrive short link', 'https://1drv.ms/u/s!abc'],
  ['SharePoint', 'https://contoso.sharepoint.com/:w:/g/abc'],
  ['Zoom meeting', 'https://us02web.zoom.us/j/123?pwd=abc'],
  ['hex secret of 32', 'https://example.com/dl/9e107d9d372bb6826bd81d3542a419d6'],
  ['unparseable input', 'not a url'],
];

const ORDINARY: [string, string][] = [
  ['plain page', 'https://example.com/'],
  ['article slug', 'https://blog.example.com/2024/how-to-install-node-on-ubuntu-twenty-four'],
  ['YouTube video', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ'],
  ['GitHub issue', 'https://github.com/nodejs/node/issues/12345'],
  ['search query', 'https://www.google.com/search?q=free+nitro'],
  ['Wikipedia', 'https://en.wikipedia.org/wiki/Foo_(bar)'],
  ['snowflake ids in a path', 'https://cdn.discordapp.com/attachments/1234567890123456789/1234567890123456790/setup.exe'],
  [
    'Discord CDN signature parameters',
    'https://cdn.discordapp.com/attachments/1234567890123456789/1234567890123456790/a.exe?ex=65f1c2d3&is=65df4d53&hm=2f1e3d4c5b6a79881726354453627180aa9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d&',
  ],
  ['public Telegram channel', 'https://t.me/durov'],
  ['steam store page', 'https://store.steampowered.com/app/570/Dota_2/'],
  ['phishing page without secrets', 'https://dlscord-gift.com/claim?ref=twitter'],
];

describe('isSensitiveUrl', () => {
  it.each(SENSITIVE)('is true for %s', (_name, url) => {
    expect(isSensitiveUrl(url)).toBe(true);
  });
  it.each(ORDINARY)('is false for %s', (_name, url) => {
    expect(isSensitiveUrl(url)).toBe(false);
  });
  it('works on what the extractor reports', () => {
    const { urls } = extractIndicators('reset here: https://evil.com/reset-password?t=1 or https://evil.com/');
    expect(urls.filter((u) => isSensitiveUrl(u))).toEqual(['https://evil.com/reset-password?t=1']);
  });
});
