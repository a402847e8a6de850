/** /vt-config set action=delete is refused, naming the permission, when the bot's role lacks Manage Messages. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/autoscan-harness.js';
import { messageOf } from '../support/command-harness.js';
import { EVERYONE_PERMISSIONS } from '../support/discord-double/fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ discord: { botRolePermissions: EVERYONE_PERMISSIONS } });
});
afterAll(async () => h.close());

it('refuses action=delete without Manage Messages and stores nothing', async () => {
  const handle = await h.discord.runCommand({ member: h.discord.members.admin, name: 'vt-config', subcommand: 'set', options: { setting: 'action', value: 'delete' } });
  const call = await h.discord.waitFor((c) => h.discord.callsFor(handle).includes(c));
  expect(messageOf(call.body).content).toBe('I lack the **Manage Messages** permission, so I cannot delete flagged messages. Grant it to the vt-guard role first.');
  expect((await h.app.ctx.store.settings.get(h.discord.guild.id)).action).toBe('reply');
  expect(h.discord.messages(h.discord.channels.log)).toEqual([]);
});
