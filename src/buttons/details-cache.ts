/**
 * Details is open to everyone, so what it fetches beyond the report (comments, sandbox behaviour,
 * relationships) is cached like reports are: pressing Details again, or on another message about
 * the same object, costs no quota until CACHE_TTL_MINUTES pass. Failures are not cached.
 */
import type { AppContext } from '../context.js';

export async function cachedExtra<T>(ctx: AppContext, key: string, load: () => Promise<T>): Promise<T> {
  const cacheKey = `details:${key}`;
  const hit = await ctx.store.cache.get<{ value: T }>(cacheKey);
  if (hit !== undefined && typeof hit === 'object' && 'value' in hit) return hit.value;
  const value = await load();
  const ttl = ctx.config.cacheTtlMinutes * 60_000;
  if (ttl > 0) await ctx.store.cache.set(cacheKey, { value }, ttl);
  return value;
}
