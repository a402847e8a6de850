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

/** A domain every VirusTotal key can read: the cheapest request that proves the key works. */
const PROBE_DOMAIN = 'example.com';
const MAX_CHANNELS_LISTED = 10;

export async function runSetup(ctx: AppContext, interaction: ChatInputCommandInteraction, guildId: string): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const settings = await ctx.store.settings.get(guildId);
  const guild = interaction.guild;
  const me = guild?.members.me ?? null;
  const checks: Check[] = [intentCheck(interaction)];
  if (guild !== null && me !== null) checks.push(channelCheck(guild, me, settings), logCheck(guild, me, settings), roleCheck(guild, me), automodCheck(me, settings));
  checks.push(await keyCheck(ctx));
  await interaction.editReply({ embeds: [setupEmbed(checks)], allowedMentions: NO_PINGS });
}

function intentCheck(interaction: ChatInputCommandInteraction): Check {
  const has = interaction.client.options.intents.has(GatewayIntentBits.MessageContent);
  return has
    ? { name: 'Message Content intent', state: 'ok', detail: 'on: the bot can read links in messages' }
    : { name: 'Message Content intent', state: 'fail', detail: 'off: auto-scan sees no message text', fix: 'Turn on Message Content Intent for the bot in the Discord Developer Portal (Bot page), then restart the bot.' };
}

/** What each enabled action needs in a channel the bot auto-scans. */
function neededInChannels(settings: GuildSettings): bigint[] {
  const needs = [P.ViewChannel, P.ReadMessageHistory];
  if (settings.action !== 'none' || settings.reportClean) needs.push(P.SendMessages, P.EmbedLinks);
  if (settings.action === 'delete') needs.push(P.ManageMessages);
  if (settings.action === 'react') needs.push(P.AddReactions);
  return needs;
}

function channelCheck(guild: Guild, me: GuildMember, settings: GuildSettings): Check {
  const needed = neededInChannels(settings);
  const problems: string[] = [];
  for (const channel of guild.channels.cache.values()) {
    if (!channel.isTextBased() || channel.isThread() || settings.ignoredChannels.includes(channel.id)) continue;
    const perms = channel.permissionsFor(me);
    if (!perms.has(P.ViewChannel)) continue; // a channel the bot does not read is none of its business
    const missing = missingNames(perms, needed).concat(perms.has(P.ReadMessageHistory) ? [] : ['Read Message History']);
    if (missing.length > 0) problems.push(`<#${channel.id}>: ${[...new Set(missing)].join(', ')}`);
  }
  const name = `Permissions for action=${settings.action}`;
  if (problems.length === 0) return { name, state: 'ok', detail: 'every channel the bot reads has what the action needs' };
  const listed = problems.slice(0, MAX_CHANNELS_LISTED).join('; ') + (problems.length > MAX_CHANNELS_LISTED ? ` (and ${String(problems.length - MAX_CHANNELS_LISTED)} more)` : '');
  return { name, state: 'fail', detail: `missing in ${String(problems.length)} channel(s)`, fix: `Grant the vt-guard role, per channel: ${listed}; or \`/vt-config ignore\` those channels.` };
}

function logCheck(guild: Guild, me: GuildMember, settings: GuildSettings): Check {
  if (settings.logChannel === null) {
    const serious = settings.action === 'delete';
    return { name: 'Log channel', state: serious ? 'fail' : 'warn', detail: 'none set', fix: `Set one with \`/vt-config set log_channel #mod-log\`${serious ? ' (deleted messages are otherwise reported in the channel itself)' : ''}.` };
  }
  const channel = guild.channels.cache.get(settings.logChannel);
  if (channel === undefined || !channel.isTextBased()) return { name: 'Log channel', state: 'fail', detail: 'the channel is gone', fix: 'Pick a text channel with `/vt-config set log_channel`.' };
  const missing = missingNames(channel.permissionsFor(me), [P.ViewChannel, P.SendMessages, P.EmbedLinks]);
  return missing.length === 0
    ? { name: 'Log channel', state: 'ok', detail: `<#${channel.id}>, the bot can post there` }
    : { name: 'Log channel', state: 'fail', detail: `<#${channel.id}>: missing ${missing.join(', ')}`, fix: `Grant the vt-guard role ${missing.join(', ')} in <#${channel.id}>.` };
}

/** Timeouts, kicks and bans only work on members whose highest role is below the bot's. */
function roleCheck(guild: Guild, me: GuildMember): Check {
  const top = me.roles.highest;
  const above = guild.roles.cache.filter((r) => r.id !== guild.id && !r.managed && r.position >= top.position && r.id !== top.id);
  const perms = missingNames(me.permissions, [P.ModerateMembers, P.KickMembers, P.BanMembers]);
  const name = 'Role position for timeouts, kicks and bans';
  if (above.size === 0 && perms.length === 0) return { name, state: 'ok', detail: `the vt-guard role is above every member role` };
  const roles = [...above.values()].map((r) => `<@&${r.id}>`).join(', ');
  const fix = [above.size > 0 ? `Drag the vt-guard role above ${roles} in Server Settings → Roles (members with them cannot be timed out, kicked or banned by the bot)` : '',
    perms.length > 0 ? `grant ${perms.join(', ')} if moderators should act from review cards` : ''].filter((x) => x !== '').join('; ');
  return { name, state: 'warn', detail: above.size > 0 ? `below ${roles}` : `missing ${perms.join(', ')}`, fix: `${fix}.` };
}

function automodCheck(me: GuildMember, settings: GuildSettings): Check {
  const name = 'AutoMod sync';
  if (!settings.automodSync) return { name, state: 'ok', detail: 'off (`/vt-config set automod_sync on` to let Discord block confirmed links)' };
  return me.permissions.has(P.ManageGuild)
    ? { name, state: 'ok', detail: 'on, with Manage Server' }
    : { name, state: 'fail', detail: 'on, but the bot lacks Manage Server', fix: 'Grant the vt-guard role Manage Server, or `/vt-config set automod_sync off`.' };
}

async function keyCheck(ctx: AppContext): Promise<Check> {
  const name = 'VirusTotal key';
  try {
    await ctx.vt.getDomain(PROBE_DOMAIN, { priority: 'command' });
  } catch (err) {
    if (err instanceof WrongCredentialsError || err instanceof UserNotActiveError || err instanceof ForbiddenError) {
      return { name, state: 'fail', detail: 'VirusTotal refused the key', fix: 'Check VT_API_KEY (your key is on your VirusTotal profile, API Key), then restart the bot.' };
    }
    ctx.log.warn({ module: 'setup', err }, 'setup key check failed');
    return { name, state: 'warn', detail: 'VirusTotal did not answer the check; try again in a minute', fix: 'Run `/vt-config setup` again; if it persists, see the bot\'s /healthz and logs.' };
  }
  const usage = await ctx.gate.usage();
  const day = `${String(usage.day.used)}/${String(usage.day.limit)} today, ${String(usage.month.used)}/${String(usage.month.limit)} this month`;
  const low = usage.day.used >= usage.day.limit * 0.9;
  return low
    ? { name, state: 'warn', detail: `works; quota nearly spent (${day})`, fix: 'Raise `autoscan_reserve`, allowlist busy domains, or use a key with more quota.' }
    : { name, state: 'ok', detail: `works; quota ${day}` };
}
