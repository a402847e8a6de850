/**
 * What the bot does about a flagged message, per the guild's `action` setting: nothing, a ⚠️
 * reaction, a reply, or deleting it (the result then goes to the log channel, saying whose message
 * it was and where). Every flagged result is also copied to the log channel when one is set.
 * Auto-scan ends here, and so does a moderator's malicious vote on an auto-scanned message.
 */
import { Routes } from 'discord.js';
import type { Client } from 'discord.js';
import type { AppContext } from '../context.js';
import type { GuildSettings } from '../store/settings.js';
import { recordCards, replyWithResult, type ResultWithCards } from './result-cards.js';
import { sendToChannel, type MessageRef, type SendOptions } from './send.js';

const WARNING = '⚠️';

export async function actOnFlagged(
  ctx: AppContext,
  client: Client,
  message: MessageRef,
  settings: Pick<GuildSettings, 'action' | 'logChannel'>,
  result: ResultWithCards,
  options: SendOptions = {},
): Promise<void> {
  const log = ctx.log.child({ module: 'actions', messageId: message.id, action: settings.action });
  if (settings.action === 'react') {
    await client.rest.put(Routes.channelMessageOwnReaction(message.channelId, message.id, encodeURIComponent(WARNING)));
  } else if (settings.action === 'reply') {
    await replyWithResult(ctx, client, message, result, options);
  } else if (settings.action === 'delete') {
    await deleteAndReport(ctx, client, message, settings.logChannel ?? null, result, options);
    log.info('flagged message deleted');
    return; // the log-channel post above is the copy
  }
  if (settings.logChannel) {
    // The copy is a courtesy to moderators: a missing log channel must not undo the action taken.
    await sendToChannel(client, settings.logChannel, { content: note('Flagged', message), ...result })
      .then((copy) => recordCards(ctx, copy.id, result))
      .catch((error: unknown) =>
      log.warn({ err: error, logChannel: settings.logChannel }, 'could not post to the log channel'),
    );
  }
}

async function deleteAndReport(ctx: AppContext, client: Client, message: MessageRef, logChannel: string | null, result: ResultWithCards, options: SendOptions): Promise<void> {
  await client.rest.delete(Routes.channelMessage(message.channelId, message.id), { reason: 'VirusTotal flagged its content (vt-guard)' })
    .catch((error: unknown) => {
      // Already gone (its author or another moderator was faster): the report still goes out.
      if (!isUnknownMessage(error)) throw error;
    });
  // Without a log channel, the channel itself is told, so the deletion is never silent.
  const report = await sendToChannel(client, logChannel ?? message.channelId, { content: note('Deleted a message', message, false), ...result }, options);
  await recordCards(ctx, report.id, result);
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

function isUnknownMessage(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 10008;
}
