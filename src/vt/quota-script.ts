/**
 * The shared quota's state in Redis and the Lua scripts that change it, each one atomic round trip.
 * Time is Redis's own clock (`TIME`), so processes on machines with skewed clocks still share one
 * sliding window.
 *
 * Keys under the prefix: `window` (ZSET slot → the time it counts from; a request in flight counts
 * from "now + flight bound" until its answer), `waiting` (ZSET waiter → priority rank × 1e13 + enqueue
 * time, every process's waiters in serving order), `day:<YYYY-MM-DD>` and `month:<YYYY-MM>`
 * counters, `pause` (a 429's end), `blocked` (`day|month:<until>`), `alive:<process>` (refreshed
 * by each acquire; a waiter whose process is gone is dropped from the head of the line).
 */
import type { QuotaUsage } from './quota.js';
import { nextUtcDay, nextUtcMonth } from './quota-state.js';

/** Replies: {0} granted · {1, waitMs} wait · {2, window, until} budget spent. Element 4 is Redis's now. */
export const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local windowMs = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local member = ARGV[5]
redis.call('SET', ARGV[8] .. ARGV[9], '1', 'PX', ARGV[13])
local blocked = redis.call('GET', KEYS[6])
if blocked then
  local w, u = string.match(blocked, '^(%a+):(%d+)$')
  if u and tonumber(u) > now then
    redis.call('ZREM', KEYS[2], member)
    return {2, w, u, now}
  end
end
if tonumber(redis.call('GET', KEYS[4]) or '0') >= tonumber(ARGV[4]) then
  redis.call('ZREM', KEYS[2], member)
  return {2, 'month', '0', now}
end
if tonumber(redis.call('GET', KEYS[3]) or '0') >= tonumber(ARGV[3]) then
  redis.call('ZREM', KEYS[2], member)
  return {2, 'day', '0', now}
end
redis.call('ZADD', KEYS[2], 'NX', ARGV[6], member)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local pausedUntil = tonumber(redis.call('GET', KEYS[5]) or '0')
if pausedUntil > now then return {1, tostring(pausedUntil - now), '', now} end
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local edge = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  local at = tonumber(edge[2])
  local wait = windowMs
  if at <= now then wait = at + windowMs - now end
  return {1, tostring(math.max(1, wait)), '', now}
end
local free = limit - count
local ahead = 0
local offset = 0
while true do
  local batch = redis.call('ZRANGE', KEYS[2], offset, offset + 31)
  if #batch == 0 then break end
  local removed = 0
  for _, m in ipairs(batch) do
    if m == member then
      redis.call('ZREM', KEYS[2], member)
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[7]), member)
      redis.call('PEXPIRE', KEYS[1], windowMs + tonumber(ARGV[7]))
      redis.call('INCR', KEYS[3])
      redis.call('PEXPIRE', KEYS[3], ARGV[10])
      redis.call('INCR', KEYS[4])
      redis.call('PEXPIRE', KEYS[4], ARGV[11])
      return {0, '0', '', now}
    end
    local process = string.match(m, '^([^|]+)|')
    if process == ARGV[9] then
      -- this process's own later waiter: served after the caller here anyway, never ahead of it
    elseif process and redis.call('EXISTS', ARGV[8] .. process) == 0 then
      redis.call('ZREM', KEYS[2], m)
      removed = removed + 1
    else
      ahead = ahead + 1
      if ahead >= free then return {1, ARGV[12], '', now} end
    end
  end
  offset = offset + #batch - removed
end
return {1, ARGV[12], '', now}`;

/** The answer arrived: the slot counts from now (Redis's now). */
export const SETTLE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return 1`;

/** A 429: every process waits until ARGV[1] ms from now (never shortening a longer pause). */
export const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current < untilMs then redis.call('SET', KEYS[1], tostring(untilMs), 'PX', ARGV[1]) end
return untilMs`;

/** {now, sends in window, oldest counted send, day used, month used, waiting, pausedUntil, blocked} */
export const USAGE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {now, redis.call('ZCARD', KEYS[1]), first[2] or '', redis.call('GET', KEYS[2]) or '0', redis.call('GET', KEYS[3]) or '0',
  redis.call('ZCARD', KEYS[4]), redis.call('GET', KEYS[5]) or '0', redis.call('GET', KEYS[6]) or ''}`;


/** A script's reply element as text ('' when it is neither a string nor a number). */
export function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** USAGE's reply → what `/vt quota` shows; a spent budget VirusTotal reported shows as full. */
export function usageFromReply(reply: unknown[], limits: { perMinute: number; perDay: number; perMonth: number }, windowMs: number): QuotaUsage {
  const [redisNow, inWindow, oldest, day, month, waiting, paused, blocked] = reply.map(text);
  const at = Number(redisNow);
  const first = oldest === '' ? at : Math.min(Number(oldest), at);
  const block = /^(day|month):(\d+)$/.exec(blocked ?? '');
  const blockedWindow = block !== null && Number(block[2]) > at ? block[1] : undefined;
  const dayUsed = Number(day);
  const monthUsed = Number(month);
  const usage: QuotaUsage = {
    minute: { used: Number(inWindow), limit: limits.perMinute, resetAt: new Date(first + windowMs) },
    day: { used: blockedWindow === 'day' ? Math.max(dayUsed, limits.perDay) : dayUsed, limit: limits.perDay, resetAt: new Date(nextUtcDay(at)) },
    month: { used: blockedWindow === 'month' ? Math.max(monthUsed, limits.perMonth) : monthUsed, limit: limits.perMonth, resetAt: new Date(nextUtcMonth(at)) },
    queued: Number(waiting),
  };
  if (Number(paused) > at) usage.paused = new Date(Number(paused));
  return usage;
}
