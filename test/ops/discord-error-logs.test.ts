/**
 * The running bot, failing to answer an interaction because Discord refused the reply, logs the
 * DiscordAPIError without the interaction token (its `url`) or what it tried to send (`requestBody`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../support/bot.js';

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe('a reply Discord refuses', () => {
  it('is logged with the route and code, never the interaction token or the body', async () => {
    bot = await startBot();
    const { discord } = bot;
    discord.failNext({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, times: 2, status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
    const handle = await discord.runCommand({ member: discord.members.member, name: 'vt', subcommand: 'quota' });
    const deadline = Date.now() + 8000;
    const failures = (): Record<string, unknown>[] => bot?.logs.filter((l) => JSON.stringify(l).includes('50035')) ?? [];
    while (failures().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    expect(failures().length).toBeGreaterThan(0);
    const logged = JSON.stringify(bot.logs);
    expect(handle.token.length).toBeGreaterThan(8);
    expect(logged).not.toContain(handle.token);
    expect(logged).not.toContain('requestBody');
    expect(logged).toContain(`/interactions/${handle.id}/[REDACTED]/callback`);
  });
});
