/** Registration that Discord refuses must not stop the bot; and the comparison that avoids re-registering. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';
import { sameCommands } from '../../src/discord/register.js';
import { SEED } from '../support/vt-double.js';
import { startCommandHarness, type CommandHarness } from '../support/command-harness.js';

let h: CommandHarness;
beforeAll(async () => {
  h = await startCommandHarness({
    beforeStart: (discord) => discord.failNext({
      method: 'PUT', path: /\/commands$/, status: 400,
      body: { message: 'Invalid Form Body', code: 50035, errors: { '0': { options: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: 'bad option type' }] } } } },
    }),
  });
});
afterAll(async () => h.close());

describe('command registration', () => {
  it('logs one clear line when Discord refuses the commands, and keeps running', async () => {
    const lines = h.logs.filter((l) => l.module === 'register' && l.level === 50);
    expect(lines).toHaveLength(1);
    expect(String(lines[0]?.msg)).toMatch(/Command registration failed .*auto-scan keeps working/);
    // Still connected and answering: auto-scan needs no commands.
    await h.app.ctx.store.settings.set(h.discord.guild.id, 'action', 'reply');
    const posted = await h.discord.postMessage({ author: h.discord.members.member, content: `grab ${SEED.eicar.sha256}` });
    await h.discord.waitFor((c) => c.method === 'POST' && JSON.stringify(c.body ?? '').includes(posted.id), 8000);
  });

  it('treats what Discord echoes back (ids, defaults, versions) as the same commands', () => {
    const echoed = COMMANDS.map((c, i) => ({
      ...structuredClone(c.data), id: String(100 + i), application_id: '1', version: '7', dm_permission: true, integration_types: [0],
      default_member_permissions: c.data.default_member_permissions ?? null, nsfw: false,
    })).reverse();
    expect(sameCommands(echoed, COMMANDS.map((c) => c.data))).toBe(true);
    const changed = echoed.map((c) => (c.name === 'vt' ? { ...c, description: 'something else' } : c));
    expect(sameCommands(changed, COMMANDS.map((c) => c.data))).toBe(false);
    expect(sameCommands(echoed.slice(1), COMMANDS.map((c) => c.data))).toBe(false);
  });
});
