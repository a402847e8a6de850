/**
 * Delete message, Timeout, Kick and Ban on a review card. Each is checked against the presser's
 * permissions and the bot's (and both roles' positions) before it is tried (src/discord/moderation.ts).
 * Kick and Ban wait for `quorum` distinct moderators; before either, the member gets a DM with the
 * server's name, the reason and the server's `appeal_text` (closed DMs do not stop the action).
 * The presser is answered in their language; the card, the DM and the audit log speak the server's.
 */
import type { ButtonInteraction, Guild } from 'discord.js';
import { translator, type Translate } from '../core/i18n.js';
import {
  auditReason, banMember, deleteMessage, kickMember, refusal, sendDm, timeoutMember, type ModerationAction,
} from '../discord/moderation.js';
import { confirmTargets } from '../discord/automod.js';
import { tellPresser } from '../discord/send.js';
import type { ReviewCard } from '../store/reviews.js';
import type { ButtonEnv } from './env.js';
import { record, runOnCard } from './card-press.js';

const DONE: Readonly<Record<ModerationAction, string>> = Object.freeze({ delete: 'deleted', timeout: 'timed-out', kick: 'kicked', ban: 'banned' });

export async function moderate(env: ButtonEnv, interaction: ButtonInteraction, card: ReviewCard, action: ModerationAction): Promise<void> {
  const guild = interaction.guild as Guild;
  const actor = { id: interaction.user.id, permissions: interaction.memberPermissions };
  const no = await refusal(guild, actor, action, action === 'delete' ? null : card.authorId, translator(interaction.locale));
  if (no !== null) {
    await tellPresser(interaction, no);
    return;
  }
  await runOnCard(env, interaction, async (current, say) => {
    const tr = say.presser;
    if (current.done.includes(DONE[action])) return tr('review.reply.doneAlready');
    const settings = await env.ctx.store.settings.get(current.guildId);
    const user = { id: interaction.user.id, username: interaction.user.username };
    const reason = auditReason(say.card(`review.audit.${action}`), user, interaction.message.id, say.card);
    const { client } = interaction;
    if (action === 'delete') {
      const result = await deleteMessage(client, current.channelId, current.messageId, reason);
      current.done.push('deleted');
      record(env, current, user.id, say.card(result === 'gone' ? 'review.log.alreadyDeleted' : 'review.log.deleted'));
      return tr(result === 'gone' ? 'review.reply.gone' : 'review.reply.deleted');
    }
    const authorId = current.authorId ?? '';
    const minutes = { count: settings.timeoutMinutes };
    if (action === 'timeout') {
      await timeoutMember(client, current.guildId, authorId, settings.timeoutMinutes, reason, env.ctx.clock());
      current.done.push('timed-out');
      record(env, current, user.id, say.card('review.log.timedOut', minutes));
      return tr('review.reply.timedOut', minutes);
    }
    const pressed = current.presses[action];
    if (!pressed.includes(user.id)) pressed.push(user.id);
    if (pressed.length < settings.quorum) {
      const votes = { pressed: pressed.length, quorum: settings.quorum };
      record(env, current, user.id, say.card('review.log.pressed', { ...votes, action: say.card(`review.buttons.${action}`) }));
      return tr('review.reply.pending', { ...votes, action: tr(`review.buttons.${action}`), more: settings.quorum - pressed.length });
    }
    const delivered = await sendDm(client, authorId, dmText(guild.name, action, settings.appealText, say.card));
    if (action === 'kick') await kickMember(client, current.guildId, authorId, reason);
    else await banMember(client, current.guildId, authorId, reason);
    current.done.push(DONE[action]);
    // A ban is the moderators' confirmation: its domains join the AutoMod rule (with automod_sync).
    if (action === 'ban') await confirmTargets(env.ctx, client, current.guildId, current.targets, true);
    const by = pressed.length > 1 ? ` (${pressed.map((id) => `<@${id}>`).join(', ')})` : '';
    record(env, current, user.id, say.card(action === 'ban' ? 'review.log.banned' : 'review.log.kicked', { by }));
    if (!delivered) record(env, current, null, say.card('review.log.dmClosed'));
    return tr(`review.reply.${action === 'ban' ? 'banned' : 'kicked'}${delivered ? 'Dm' : 'NoDm'}`);
  });
}

/** The DM before a kick or ban, in the server's language (`tr`): the server's name, the reason and how to appeal. */
export function dmText(guildName: string, action: 'kick' | 'ban', appealText: string, tr: Translate = translator('en')): string {
  const appeal = appealText === '' ? '' : tr('review.dm.appeal', { text: appealText });
  return `${tr(`review.dm.${action}`, { guild: guildName.replace(/[*_`~|>]/g, '') })}${appeal}`;
}
