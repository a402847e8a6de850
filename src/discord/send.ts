/**
 * What the bot does about a flagged message, per the guild's `action` setting: nothing, a ⚠️
 * reaction, a reply, or deleting it (the reply then goes to the log channel, saying whose message
 * it was and where). Every flagged result is also copied to the log channel when one is set.
 * Exported for the vote handler too: a moderator voting an auto-scanned message malicious ends here.
 */
import { Routes } from 'discord.js';
import type { Client, MessageCreateOptions } from 'discord.js';
import type { AppContext } from '../context.js';
import type { GuildSettings } from '../store/settings.js';

/** The message acted on. A discord.js Message fits; so do ids kept in a stored job. */
export interface MessageRef {
  id: string;
  channelId: string;
  guildId: string | null;
  author?: { id: string } | null;
}

/** The embeds and buttons of an answer (what `buildReply` gives). */
export type ReplyParts = Pick<MessageCreateOptions, 'embeds' | 'components'>;

export interface SendOptions {
  /** Discord drops a second message with the same nonce sent within minutes (`enforce_nonce`). */
  nonce?: string;
}

const NO_PINGS = { parse: [], repliedUser: false } as const;
const WARNING = '⚠️';

export async function applyAction(
  ctx: AppContext,
  client: Client,
  message: MessageRef,
  settings: Pick<GuildSettings, 'action' | 'logChannel'>,
  reply: ReplyParts,
  options: SendOptions = {},
): Promise<void> {
  const log = ctx.log.child({ module: 'actions', messageId: message.id, action: settings.action });
  if (settings.action === 'react') {
    await client.rest.put(Routes.channelMessageOwnReaction(message.channelId, message.id, encodeURIComponent(WARNING)));
  } else if (settings.action === 'reply') {
    await replyTo(client, message, reply, options);
  } else if (settings.action === 'delete') {
    await deleteAndReport(client, message, settings.logChannel ?? null, reply, options);
    log.info('flagged message deleted');
    return; // the log-channel post above is the copy
  }
  if (settings.logChannel) {
    // The copy is a courtesy to moderators: a missing log channel must not undo the action taken.
    await send(client, settings.logChannel, { content: note('Flagged', message), ...reply }).catch((error: unknown) =>
      log.warn({ err: error, logChannel: settings.logChannel }, 'could not post to the log channel'),
    );
  }
}

/** A Discord reply to the message that never pings; posted as is when the message is gone. */
export async function replyTo(client: Client, message: MessageRef, reply: ReplyParts, options: SendOptions = {}): Promise<void> {
  await send(client, message.channelId, {
    ...reply,
    reply: { messageReference: message.id, failIfNotExists: false },
    ...nonce(options),
  });
}

async function deleteAndReport(client: Client, message: MessageRef, logChannel: string | null, reply: ReplyParts, options: SendOptions): Promise<void> {
  await client.rest.delete(Routes.channelMessage(message.channelId, message.id), { reason: 'VirusTotal flagged its content (vt-guard)' })
    .catch((error: unknown) => {
      // Already gone (its author or another moderator was faster): the report still goes out.
      if (!isUnknownMessage(error)) throw error;
    });
  // Without a log channel, the channel itself is told, so the deletion is never silent.
  await send(client, logChannel ?? message.channelId, { content: note('Deleted a message', message, false), ...reply, ...nonce(options) });
}

async function send(client: Client, channelId: string, body: MessageCreateOptions): Promise<void> {
  const channel = await client.channels.fetch(channelId);
  if (!channel?.isSendable()) throw new Error(`Expected a text channel to send to, got ${channel ? String(channel.type) : 'nothing'} for ${channelId}`);
  await channel.send({ ...body, allowedMentions: NO_PINGS });
}

/**
 * Who posted it and where; mentions render as names but never ping (allowedMentions is empty). The
 * message id is always in the text: moderators can find it, and a resumed job can tell it was done.
 */
function note(what: string, message: MessageRef, withLink = true): string {
  const author = message.author ? ` by <@${message.author.id}>` : '';
  const where = withLink && message.guildId
    ? `https://discord.com/channels/${message.guildId}/${message.channelId}/${message.id}`
    : `message ${message.id}`;
  return `${what}${author} in <#${message.channelId}> (${where})`;
}

function nonce(options: SendOptions): Pick<MessageCreateOptions, 'nonce' | 'enforceNonce'> {
  return options.nonce ? { nonce: options.nonce, enforceNonce: true } : {};
}

function isUnknownMessage(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 10008;
}
