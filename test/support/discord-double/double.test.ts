import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  SlashCommandBuilder,
} from 'discord.js';
import type { ChatInputCommandInteraction, Message } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDiscordDouble } from '../discord-double.js';
import type { DiscordDouble } from '../discord-double.js';
import { connect, createClient, INTENTS, track } from './client.js';

let double: DiscordDouble;
const clients: Client[] = [];
const newClient = (intents = INTENTS): Client => track(clients, createClient(double, intents));
const loggedIn = (): Promise<Client<true>> => connect(double, newClient());

beforeEach(async () => {
  double = await startDiscordDouble();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await double.close();
});

describe('discord double', () => {
  it('lets the real client log in, with the guild, channels, roles and members in cache', async () => {
    const client = await loggedIn();
    expect(client.user.id).toBe(double.applicationId);
    expect(client.application.id).toBe(double.applicationId);
    const guild = client.guilds.cache.get(double.guild.id);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(double.channels.log)?.name).toBe('vt-log');
    const moderator = guild?.members.cache.get(double.members.moderator.id);
    expect(moderator?.permissions.has('ManageMessages')).toBe(true);
    expect(guild?.members.cache.get(double.members.member.id)?.permissions.has('ManageMessages')).toBe(false);
    expect(guild?.members.cache.get(double.members.admin.id)?.permissions.has('ManageGuild')).toBe(true);
    expect(double.identifyPayload?.intents).toBe(1 | (1 << 9) | (1 << 15));
    expect(double.calls.map((c) => `${c.method} ${c.path}`)).toContain('GET /gateway/bot');
  });

  it('delivers a posted message and records the reply with its message_reference', async () => {
    const client = await loggedIn();
    const received = new Promise<Message>((resolve) => {
      client.on(Events.MessageCreate, (m) => { if (!m.author.bot) resolve(m); });
    });
    const posted = await double.postMessage({
      author: double.members.member, content: 'look at https://evil.example/x',
      attachments: [{ filename: 'a.bin', bytes: Buffer.from('hello'), contentType: 'application/octet-stream' }],
    });
    const message = await received;
    expect(message.content).toBe('look at https://evil.example/x');
    const attachment = message.attachments.first();
    expect(attachment?.url.startsWith(`${double.origin}/attachments/${double.channels.general}/`)).toBe(true);
    const download = await fetch(attachment?.url ?? '');
    expect(await download.text()).toBe('hello');
    expect(double.cdnHits).toHaveLength(1);

    const reply = await message.reply({ content: 'flagged', allowedMentions: { parse: [] } });
    expect(reply.reference?.messageId).toBe(posted.id);
    const call = await double.waitForCall('POST', `/channels/${double.channels.general}/messages`);
    expect(call.body).toMatchObject({ content: 'flagged', message_reference: { message_id: posted.id } });
    expect(double.messages(double.channels.general).map((m) => m.id)).toEqual([posted.id, reply.id]);
    await reply.react('⚠️');
    expect(double.message(reply.id)?.message.reactions?.[0]?.me).toBe(true);
    await reply.delete();
    expect(double.message(reply.id)?.deleted).toBe(true);
  });

  it('hides message content from a client without the MessageContent intent', async () => {
    const client = await connect(double, newClient([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]));
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;
    await double.postMessage({ author: double.members.member, content: 'secret https://evil.example' });
    const [message] = await received;
    expect(message.content).toBe('');
  });

  it('registers commands and records deferReply then editReply for a slash command', async () => {
    const client = await loggedIn();
    const vt = new SlashCommandBuilder().setName('vt').setDescription('VirusTotal')
      .addSubcommand((s) => s.setName('url').setDescription('Scan a URL').addStringOption((o) => o.setName('url').setDescription('URL').setRequired(true)))
      .addSubcommand((s) => s.setName('file').setDescription('Scan a file').addAttachmentOption((o) => o.setName('file').setDescription('File').setRequired(true)));
    await client.application.commands.set([vt.toJSON()], double.guild.id);
    expect(double.guildCommands.map((c) => c.name)).toEqual(['vt']);

    const handled = new Promise<ChatInputCommandInteraction>((resolve) => {
      client.on(Events.InteractionCreate, (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        void (async () => {
          await interaction.deferReply();
          await interaction.editReply({ content: `scanning ${interaction.options.getString('url') ?? ''}` });
          resolve(interaction);
        })();
      });
    });
    const handle = await double.runCommand({ member: double.members.member, name: 'vt', subcommand: 'url', options: { url: 'https://evil.example' } });
    const interaction = await handled;
    expect(interaction.memberPermissions?.has('ManageMessages')).toBe(false);
    const calls = double.callsFor(handle);
    expect(calls.map((c) => `${c.method} ${c.path.replace(handle.token, ':token')}`)).toEqual([
      `POST /interactions/${handle.id}/:token/callback`,
      `PATCH /webhooks/${double.applicationId}/:token/messages/@original`,
    ]);
    expect(calls[0]?.body).toMatchObject({ type: 5 });
    expect(calls[1]?.body).toMatchObject({ content: 'scanning https://evil.example' });
    const original = double.messages(double.channels.general).at(-1);
    expect(original?.content).toBe('scanning https://evil.example');
    expect((original?.flags ?? 0) & MessageFlags.Loading).toBe(0);

    // An attachment option arrives resolved, downloadable from the double's CDN.
    const fileSeen = new Promise<string>((resolve) => {
      client.on(Events.InteractionCreate, (i) => {
        if (i.isChatInputCommand() && i.options.getSubcommand() === 'file') resolve(i.options.getAttachment('file')?.url ?? '');
      });
    });
    await double.runCommand({ member: double.members.member, name: 'vt', subcommand: 'file', attachments: { file: { filename: 'x.exe', bytes: Buffer.from('MZ') } } });
    expect(await (await fetch(await fileSeen)).text()).toBe('MZ');
  });

  it('answers a second acknowledgement with 40060, as Discord does', async () => {
    const client = await loggedIn();
    const errors = new Promise<unknown>((resolve) => {
      client.on(Events.InteractionCreate, (i) => {
        if (!i.isChatInputCommand()) return;
        void i.reply({ content: 'one', flags: MessageFlags.Ephemeral }).then(() => i.client.rest.post(`/interactions/${i.id}/${i.token}/callback`, { body: { type: 4, data: { content: 'two' } }, auth: false })).catch(resolve);
      });
    });
    await double.runCommand({ member: double.members.member, name: 'vt', subcommand: 'quota' });
    expect(await errors).toMatchObject({ code: 40060, status: 400 });
  });

  it('handles a button press on a bot message with a deferred update and an ephemeral follow-up', async () => {
    const client = await loggedIn();
    const channel = client.channels.cache.get(double.channels.general);
    if (!channel?.isSendable()) throw new Error('Expected a sendable channel');
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('vote:malicious:1').setLabel('Vote malicious').setStyle(ButtonStyle.Danger));
    const sent = await channel.send({ content: 'report', components: [row] });
    client.on(Events.InteractionCreate, (i) => {
      if (!i.isButton()) return;
      void (async () => {
        await i.deferUpdate();
        await i.followUp({ content: `voted by ${i.user.id}`, flags: MessageFlags.Ephemeral });
      })();
    });
    const handle = await double.pressButton({ member: double.members.moderator, message: sent.id, customId: 'vote:malicious:1' });
    await double.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${double.applicationId}/${handle.token}`);
    const [callback, followUp] = double.callsFor(handle);
    expect(callback?.body).toMatchObject({ type: 6 });
    expect(followUp?.body).toMatchObject({ content: `voted by ${double.members.moderator.id}`, flags: 64 });
  });

  it('scans a message from the context menu with the message resolved', async () => {
    const client = await loggedIn();
    const target = await double.postMessage({ author: double.members.member, content: 'https://evil.example' });
    const seen = new Promise<string>((resolve) => {
      client.on(Events.InteractionCreate, (i) => {
        if (i.isMessageContextMenuCommand()) resolve(i.targetMessage.content);
      });
    });
    await double.runContextMenu({ member: double.members.member, targetMessage: target });
    expect(await seen).toBe('https://evil.example');
  });

  it('makes discord.js retry after a 429 and after a 500', async () => {
    const client = await loggedIn();
    const path = `/channels/${double.channels.general}/messages`;
    double.rateLimitNext({ method: 'POST', path, retryAfter: 0.1 });
    double.failNext({ method: 'POST', path, status: 502 });
    const channel = client.channels.cache.get(double.channels.general);
    if (!channel?.isSendable()) throw new Error('Expected a sendable channel');
    const started = Date.now();
    await channel.send({ content: 'after retries' });
    const attempts = double.calls.filter((c) => c.method === 'POST' && c.path === path);
    expect(attempts.map((c) => c.status)).toEqual([429, 502, 200]);
    expect(attempts[0]?.response).toMatchObject({ retry_after: 0.1, global: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('closes with 4014 on disallowed intents and login rejects', async () => {
    await double.close();
    double = await startDiscordDouble({ rejectPrivilegedIntents: true });
    const client = newClient();
    await expect(client.login(double.token)).rejects.toThrow(/disallowed intents/i);
    expect(double.gateway.closeCodes).toEqual([4014]);
  });

  it('rejects a wrong token on REST with 401', async () => {
    const client = newClient();
    await expect(client.login('not-the-token')).rejects.toThrow(/invalid token/i);
    expect(double.calls[0]?.status).toBe(401);
  });

  it('resumes after a dropped connection and replays missed events', async () => {
    const client = await loggedIn();
    const resumed = once(client, Events.ShardResume);
    double.gateway.disconnectAll(4000);
    await resumed;
    expect(double.gateway.resumes).toHaveLength(1);
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;
    await double.postMessage({ author: double.members.member, content: 'after resume' });
    expect((await received)[0].content).toBe('after resume');
  });
});
