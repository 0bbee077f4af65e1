import { LuaScript } from './lua-script.js';

/**
 * The sliding window of the embedded adapter (`bucketed-window.ts`), as one script: takes are
 * kept in fixed-width buckets of windowMs/600, and a take counts until its whole bucket is
 * older than the window — never forgotten early, at most one bucket late. Each call forgets
 * only the buckets that expired since the last one (amortised O(1); a key idle for a whole
 * window is dropped in one step), and keeps a running total, so a take never sums the window.
 * Only a refusal walks buckets, oldest first, and stops as soon as enough would have expired.
 */
export const windowScript = new LuaScript(`
--[[
  Sliding-window take, or correction, on the server's clock.
  KEYS[1]  hash: bucket start (ms, integer string) -> amount taken in it; field "total" = sum
  KEYS[2]  list: bucket starts, oldest first
  ARGV[1]  amount (a correction may be negative)
  ARGV[2]  limit (ignored for a correction)
  ARGV[3]  window length in ms
  ARGV[4]  "1" = correction: add without checking the limit; "0" = check and take
  Returns  { 1, 0 } when taken; { 0, retryAtMs - nowMs } when refused (may be <= 0 in theory;
           the caller clamps it to at least 1 ms).
  Time is the server's (TIME), so API nodes with skewed clocks share one window.
]]
local amounts, starts = KEYS[1], KEYS[2]
local amount = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local windowMs = tonumber(ARGV[3])
local correction = ARGV[4] == '1'
-- Same width as BucketedWindow.forWindow: 600 buckets per window, at least 1 ms.
local bucketMs = math.max(1, math.ceil(windowMs / 600))
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local cutoff = now - windowMs

local newest = redis.call('LINDEX', starts, -1)
if newest and tonumber(newest) + bucketMs <= cutoff then
  -- Idle for a whole window: everything has expired.
  redis.call('DEL', amounts, starts)
  newest = false
end
while true do
  local oldest = redis.call('LINDEX', starts, 0)
  if not oldest or tonumber(oldest) + bucketMs > cutoff then break end
  redis.call('LPOP', starts)
  local gone = redis.call('HGET', amounts, oldest)
  redis.call('HDEL', amounts, oldest)
  if gone then redis.call('HINCRBYFLOAT', amounts, 'total', -tonumber(gone)) end
end
local total = 0
if newest then
  total = tonumber(redis.call('HGET', amounts, 'total') or '0')
else
  redis.call('DEL', amounts)
end

if not correction and total + amount > limit then
  -- Enough must expire that the rest plus the amount fits.
  local excess = total + amount - limit
  local from = 0
  while true do
    local chunk = redis.call('LRANGE', starts, from, from + 31)
    if #chunk == 0 then break end
    local taken = redis.call('HMGET', amounts, unpack(chunk))
    for i = 1, #chunk do
      excess = excess - tonumber(taken[i] or '0')
      if excess <= 0 then return { 0, tonumber(chunk[i]) + bucketMs + windowMs - now } end
    end
    from = from + 32
  end
  return { 0, windowMs }
end

local start = string.format('%.0f', now - (now % bucketMs))
-- A clock that stepped back adds to the newest bucket, so nothing is forgotten early.
if newest and tonumber(newest) >= tonumber(start) then
  start = newest
else
  redis.call('RPUSH', starts, start)
end
redis.call('HINCRBYFLOAT', amounts, start, ARGV[1])
redis.call('HINCRBYFLOAT', amounts, 'total', ARGV[1])
redis.call('PEXPIRE', amounts, windowMs + bucketMs)
redis.call('PEXPIRE', starts, windowMs + bucketMs)
return { 1, 0 }
`);
