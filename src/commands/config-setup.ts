/**
 * `/vt-config setup`: checks what the bot needs here and lists exactly what to fix — the Message
 * Content intent, the permissions each enabled action needs in every channel the bot reads, the log
 * channel, the role position for timeouts, kicks and bans, Manage Server for automod_sync, and the
 * VirusTotal key (one cheap look-up) with its quota.
 */
import type { ChatInputCommandInteraction, Guild, GuildMember } from 'discord.js';
import { GatewayIntentBits, MessageFlags, PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import type { GuildSettings } from '../store/settings.js';
import { WrongCredentialsError, UserNotActiveError, ForbiddenError } from '../vt/errors.js';
import { setupEmbed, type Check } from '../discord/render/setup.js';
import { NO_PINGS } from '../discord/send.js';
import { missingNames } from './config-set.js';
import { translator, type Translate } from '../core/i18n.js';

/** A domain every VirusTotal key can read: the cheapest request that proves the key works. */
const PROBE_DOMAIN = 'example.com';
const MAX_CHANNELS_LISTED = 10;

export async function runSetup(ctx: AppContext, interaction: ChatInputCommandInteraction, guildId: string): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const settings = await ctx.store.settings.get(guildId);
  const guild = interaction.guild;
  const me = guild?.members.me ?? null;
  const tr = translator(interaction.locale);
  const checks: Check[] = [intentCheck(interaction, tr)];
  if (guild !== null && me !== null) checks.push(channelCheck(guild, me, settings, tr), logCheck(guild, me, settings, tr), roleCheck(guild, me, tr), automodCheck(me, settings, tr));
  checks.push(await keyCheck(ctx, tr));
  await interaction.editReply({ embeds: [setupEmbed(checks, tr)], allowedMentions: NO_PINGS });
}

function intentCheck(interaction: ChatInputCommandInteraction, tr: Translate): Check {
  const has = interaction.client.options.intents.has(GatewayIntentBits.MessageContent);
  const name = tr('setup.intent.name');
  return has
    ? { name, state: 'ok', detail: tr('setup.intent.ok') }
    : { name, state: 'fail', detail: tr('setup.intent.off'), fix: tr('setup.intent.fix') };
}

/** What each enabled action needs in a channel the bot auto-scans. */
function neededInChannels(settings: GuildSettings): bigint[] {
  const needs = [P.ViewChannel, P.ReadMessageHistory];
  if (settings.action !== 'none' || settings.reportClean) needs.push(P.SendMessages, P.EmbedLinks);
  if (settings.action === 'delete') needs.push(P.ManageMessages);
  if (settings.action === 'react') needs.push(P.AddReactions);
  return needs;
}

function channelCheck(guild: Guild, me: GuildMember, settings: GuildSettings, tr: Translate): Check {
  const needed = neededInChannels(settings);
  const problems: string[] = [];
  for (const channel of guild.channels.cache.values()) {
    if (!channel.isTextBased() || channel.isThread() || settings.ignoredChannels.includes(channel.id)) continue;
    const perms = channel.permissionsFor(me);
    if (!perms.has(P.ViewChannel)) continue; // a channel the bot does not read is none of its business
    const missing = missingNames(perms, needed).concat(perms.has(P.ReadMessageHistory) ? [] : ['Read Message History']);
    if (missing.length > 0) problems.push(`<#${channel.id}>: ${[...new Set(missing)].join(', ')}`);
  }
  const name = tr('setup.channels.name', { action: settings.action });
  if (problems.length === 0) return { name, state: 'ok', detail: tr('setup.channels.ok') };
  const listed = problems.slice(0, MAX_CHANNELS_LISTED).join('; ') + (problems.length > MAX_CHANNELS_LISTED ? ` ${tr('setup.channels.more', { more: problems.length - MAX_CHANNELS_LISTED })}` : '');
  return { name, state: 'fail', detail: tr('setup.channels.missing', { channels: problems.length }), fix: tr('setup.channels.fix', { list: listed }) };
}

function logCheck(guild: Guild, me: GuildMember, settings: GuildSettings, tr: Translate): Check {
  const name = tr('setup.log.name');
  if (settings.logChannel === null) {
    const serious = settings.action === 'delete';
    return { name, state: serious ? 'fail' : 'warn', detail: tr('setup.log.none'), fix: tr(serious ? 'setup.log.fixDelete' : 'setup.log.fix') };
  }
  const channel = guild.channels.cache.get(settings.logChannel);
  if (channel === undefined || !channel.isTextBased()) return { name, state: 'fail', detail: tr('setup.log.gone'), fix: tr('setup.log.fixGone') };
  const missing = missingNames(channel.permissionsFor(me), [P.ViewChannel, P.SendMessages, P.EmbedLinks]);
  const vars = { channel: `<#${channel.id}>`, permissions: missing.join(', ') };
  return missing.length === 0
    ? { name, state: 'ok', detail: tr('setup.log.ok', vars) }
    : { name, state: 'fail', detail: tr('setup.log.missing', vars), fix: tr('setup.log.fixMissing', vars) };
}

/** Timeouts, kicks and bans only work on members whose highest role is below the bot's. */
function roleCheck(guild: Guild, me: GuildMember, tr: Translate): Check {
  const top = me.roles.highest;
  const above = guild.roles.cache.filter((r) => r.id !== guild.id && !r.managed && r.position >= top.position && r.id !== top.id);
  const perms = missingNames(me.permissions, [P.ModerateMembers, P.KickMembers, P.BanMembers]);
  const name = tr('setup.role.name');
  if (above.size === 0 && perms.length === 0) return { name, state: 'ok', detail: tr('setup.role.ok') };
  const vars = { roles: [...above.values()].map((r) => `<@&${r.id}>`).join(', '), permissions: perms.join(', ') };
  const fix = [above.size > 0 ? tr('setup.role.fixDrag', vars) : '', perms.length > 0 ? tr('setup.role.fixGrant', vars) : ''].filter((x) => x !== '').join('; ');
  return { name, state: 'warn', detail: tr(above.size > 0 ? 'setup.role.below' : 'setup.role.missing', vars), fix: `${fix}.` };
}

function automodCheck(me: GuildMember, settings: GuildSettings, tr: Translate): Check {
  const name = tr('setup.automod.name');
  if (!settings.automodSync) return { name, state: 'ok', detail: tr('setup.automod.off') };
  return me.permissions.has(P.ManageGuild)
    ? { name, state: 'ok', detail: tr('setup.automod.ok') }
    : { name, state: 'fail', detail: tr('setup.automod.missing'), fix: tr('setup.automod.fix') };
}

async function keyCheck(ctx: AppContext, tr: Translate): Promise<Check> {
  const name = tr('setup.key.name');
  try {
    await ctx.vt.getDomain(PROBE_DOMAIN, { priority: 'command' });
  } catch (err) {
    if (err instanceof WrongCredentialsError || err instanceof UserNotActiveError || err instanceof ForbiddenError) {
      return { name, state: 'fail', detail: tr('setup.key.refused'), fix: tr('setup.key.fixRefused') };
    }
    ctx.log.warn({ module: 'setup', err }, 'setup key check failed');
    return { name, state: 'warn', detail: tr('setup.key.noAnswer'), fix: tr('setup.key.fixNoAnswer') };
  }
  const usage = await ctx.gate.usage();
  const quota = tr('setup.key.quota', { dayUsed: usage.day.used, dayLimit: usage.day.limit, monthUsed: usage.month.used, monthLimit: usage.month.limit });
  const low = usage.day.used >= usage.day.limit * 0.9;
  return low
    ? { name, state: 'warn', detail: tr('setup.key.low', { quota }), fix: tr('setup.key.fixLow') }
    : { name, state: 'ok', detail: tr('setup.key.ok', { quota }) };
}
