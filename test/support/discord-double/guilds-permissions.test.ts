/** The double's second guild, per-channel permission denials and interaction token expiry. */
import { Client, DiscordAPIError, Events, PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordDouble } from '../discord-double.js';
import type { DiscordDouble, DiscordDoubleOptions } from '../discord-double.js';
import { connect, createClient, track } from './client.js';

let double: DiscordDouble | undefined;
const clients: Client[] = [];

async function setUp(options: DiscordDoubleOptions = {}): Promise<{ d: DiscordDouble; client: Client<true> }> {
  const d = await startDiscordDouble(options);
  double = d;
  return { d, client: await connect(d, track(clients, createClient(d))) };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await double?.close();
  double = undefined;
});

describe('discord double: several guilds, channel permissions, token lifetime', () => {
  it('puts the bot in a second guild with its own channels, members and message events', async () => {
    const { d, client } = await setUp({ secondGuild: true });
    expect(client.guilds.cache.map((g) => g.id).sort()).toEqual([d.guild.id, d.otherGuild.id].sort());
    expect(d.otherGuild.channels.general).not.toBe(d.channels.general);
    const seen = new Promise<{ guildId: string | null }>((resolve) => client.once(Events.MessageCreate, resolve));
    await d.postMessage({ author: d.otherGuild.members.member, channelId: d.otherGuild.channels.general, content: 'hi' });
    expect((await seen).guildId).toBe(d.otherGuild.id);
    const channel = await client.channels.fetch(d.otherGuild.channels.general);
    expect(channel?.isSendable() === true ? (await channel.send('ok')).guildId : null).toBe(d.otherGuild.id);
  });

  it('answers 403 50013 in a channel where a permission was denied, and only there', async () => {
    const { d, client } = await setUp();
    d.denyBot(d.channels.links, PermissionFlagsBits.SendMessages);
    const links = await client.channels.fetch(d.channels.links);
    const general = await client.channels.fetch(d.channels.general);
    if (!links?.isSendable() || !general?.isSendable()) throw new Error('Expected text channels');
    await expect(links.send('no')).rejects.toMatchObject({ code: 50013, status: 403 });
    expect((await general.send('yes')).content).toBe('yes');
  });

  it('refuses edits with an expired interaction token: 401 50027', async () => {
    const { d, client } = await setUp({ interactionTokenTtlMs: 100 });
    const handled = new Promise<unknown>((resolve) => {
      client.once(Events.InteractionCreate, (interaction) => {
        if (!interaction.isRepliable()) return;
        void (async () => {
          await interaction.deferReply();
          await new Promise((r) => setTimeout(r, 200));
          resolve(await interaction.editReply('late').catch((e: unknown) => e));
        })();
      });
    });
    await d.runCommand({ member: d.members.member, name: 'anything' });
    const error = await handled;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50027, status: 401 });
  });
});
