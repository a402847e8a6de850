import { expect, it } from 'vitest';
import { historyText } from '../../src/discord/history-record.js';

it('writes a URL carrying a secret into the trail by its host only, and everything else as seen', () => {
  expect(historyText({ kind: 'url', value: 'https://example.org/reset-password?token=s3cr3tT0k3nValue' })).toBe('https://example.org/…');
  expect(historyText({ kind: 'url', value: 'https://shop.example.org/login?session=abcDEFsecret' })).toBe('https://shop.example.org/…');
  expect(historyText({ kind: 'url', value: 'https://evil-payload.xyz/drop.exe' })).toBe('https://evil-payload.xyz/drop.exe');
  expect(historyText({ kind: 'domain', value: 'evil.xyz' })).toBe('evil.xyz');
});
