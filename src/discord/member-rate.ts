/**
 * The per-member limit (`member_rate`) on look-ups people start: a slash command, the context menu
 * or Rescan. Checked before anything is deferred or sent, so a refused member costs no VirusTotal
 * request. Members with Manage Messages are not limited: they are the ones who clean up.
 */
import type { RepliableInteraction } from 'discord.js';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { UserFacingError } from '../core/errors.js';
import type { AppContext } from '../context.js';

/** Counts one look-up for the member, or throws a UserFacingError saying when they may try again. */
export async function spendMemberLookup(ctx: AppContext, interaction: RepliableInteraction): Promise<void> {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) === true) return;
  const { memberRate } = await ctx.store.settings.getOrDefaults(interaction.guildId);
  const decision = await ctx.store.memberRate.take(interaction.guildId, interaction.user.id, memberRate, ctx.clock());
  if (decision.allowed) return;
  const at = Math.ceil(decision.retryAt / 1000);
  ctx.metrics.inc('vtguard_member_rate_refusals_total', 'Look-ups refused by the per-member limit (member_rate)');
  throw new UserFacingError(`You have started ${memberRate} look-ups in the last 10 minutes, the most this server allows per member. Try again <t:${at}:R>.`, {
    translationKey: 'limits.memberRate', translationVars: { count: memberRate, when: `<t:${at}:R>` },
  });
}
