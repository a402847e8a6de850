/**
 * Which guilds this process serves when sharded: Discord sends a guild's events to shard
 * `(guild_id >> 22) % shard_count`, so work stored for a guild belongs to the process running that shard.
 */
import type { Config } from '../config.js';

/** The shard a guild's events go to, out of `shardCount`. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Whether this process runs the shard of `guildId` (always, unless it runs chosen shards only). */
export function runsGuild(sharding: Config['sharding'], guildId: string): boolean {
  if (sharding.mode !== 'shards') return true;
  if (!/^\d{1,20}$/.test(guildId)) return false;
  return sharding.ids.includes(shardOfGuild(guildId, sharding.count));
}
