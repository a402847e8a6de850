/**
 * Delete message, Timeout, Kick and Ban on a review card. Each is checked against the presser's
 * permissions and the bot's (and both roles' positions) before it is tried (src/discord/moderation.ts).
 * Kick and Ban wait for `quorum` distinct moderators; before either, the member gets a DM with the
 * server's name, the reason and the server's `appeal_text` (closed DMs do not stop the action).
 */
import type { ButtonInteraction, Guild } from 'discord.js';
import {
  auditReason, banMember, deleteMessage, kickMember, refusal, sendDm, timeoutMember, type ModerationAction,
} from '../discord/moderation.js';
import { confirmTargets } from '../discord/automod.js';
import { tellPresser } from '../discord/send.js';
import type { ReviewCard } from '../store/reviews.js';
import type { ButtonEnv } from './env.js';
import { record, runOnCard } from './card-press.js';

const VERB: Readonly<Record<ModerationAction, string>> = Object.freeze({
  delete: 'deleted the message', timeout: 'timed the author out', kick: 'kicked the author', ban: 'banned the author',
});
const DONE: Readonly<Record<ModerationAction, string>> = Object.freeze({ delete: 'deleted', timeout: 'timed-out', kick: 'kicked', ban: 'banned' });

export async function moderate(env: ButtonEnv, interaction: ButtonInteraction, card: ReviewCard, action: ModerationAction): Promise<void> {
  const guild = interaction.guild as Guild;
  const actor = { id: interaction.user.id, permissions: interaction.memberPermissions };
  const no = await refusal(guild, actor, action, action === 'delete' ? null : card.authorId);
  if (no !== null) {
    await tellPresser(interaction, no);
    return;
  }
  await runOnCard(env, interaction, async (current) => {
    if (current.done.includes(DONE[action])) return 'That was done already.';
    const settings = await env.ctx.store.settings.get(current.guildId);
    const user = { id: interaction.user.id, username: interaction.user.username };
    const reason = auditReason(VERB[action], user, interaction.message.id);
    const { client } = interaction;
    if (action === 'delete') {
      const result = await deleteMessage(client, current.channelId, current.messageId, reason);
      current.done.push('deleted');
      record(env, current, user.id, result === 'gone' ? 'found the message already deleted' : 'deleted the message');
      return result === 'gone' ? 'The message was already gone.' : 'Deleted the message; the card keeps its evidence.';
    }
    const authorId = current.authorId ?? '';
    if (action === 'timeout') {
      await timeoutMember(client, current.guildId, authorId, settings.timeoutMinutes, reason, env.ctx.clock());
      current.done.push('timed-out');
      record(env, current, user.id, `timed the author out for ${settings.timeoutMinutes} minutes`);
      return `Timed the author out for ${settings.timeoutMinutes} minutes.`;
    }
    const pressed = current.presses[action];
    if (!pressed.includes(user.id)) pressed.push(user.id);
    const label = action === 'kick' ? 'Kick' : 'Ban';
    if (pressed.length < settings.quorum) {
      record(env, current, user.id, `pressed ${label} (${pressed.length} of ${settings.quorum})`);
      return `${label}: ${pressed.length} of ${settings.quorum} moderators; it happens when ${settings.quorum - pressed.length} more press it.`;
    }
    const delivered = await sendDm(client, authorId, dmText(guild.name, action, settings.appealText));
    if (action === 'kick') await kickMember(client, current.guildId, authorId, reason);
    else await banMember(client, current.guildId, authorId, reason);
    current.done.push(DONE[action]);
    // A ban is the moderators' confirmation: its domains join the AutoMod rule (with automod_sync).
    if (action === 'ban') await confirmTargets(env.ctx, client, current.guildId, current.targets, true);
    const by = pressed.length > 1 ? ` (${pressed.map((id) => `<@${id}>`).join(', ')})` : '';
    record(env, current, user.id, action === 'ban' ? `banned the author${by}; their messages of the last hour were deleted` : `kicked the author${by}`);
    if (!delivered) record(env, current, null, 'the DM to the author could not be delivered (their DMs are closed)');
    return `${action === 'ban' ? 'Banned' : 'Kicked'} the author${delivered ? '; they were told by DM' : '; the DM could not be delivered'}.`;
  });
}

/** The DM before a kick or ban: the server's name, the reason and how to appeal. */
export function dmText(guildName: string, action: 'kick' | 'ban', appealText: string): string {
  const what = action === 'ban' ? 'banned from' : 'removed from';
  const appeal = appealText === '' ? '' : `\nTo appeal: ${appealText}`;
  return `You have been ${what} **${guildName.replace(/[*_`~|>]/g, '')}**.\nReason: a message you posted was flagged as malicious by VirusTotal, and the server's moderators acted on it.${appeal}`;
}
