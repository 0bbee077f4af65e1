import { LuaScript } from './lua-script.js';

/*
 * A budget is two keys sharing one hash tag: a hash with `spent` and `held` (the sum of the
 * live holds), and a sorted set of holds, each member `<amount>:<id>` scored by its expiry on
 * the server's clock. Amounts change only by HINCRBYFLOAT: Redis adds in long double and
 * stores up to 17 decimals, so sums of decimal amounts (0.1 + 0.2) come out as the decimal
 * result rather than the nearest double. The hash's TTL is set when it is seeded and kept by
 * every later change. A missing hash is never read as zero: the caller seeds it from the ledger.
 */

/** Lua: milliseconds on the server's clock, so API nodes with skewed clocks expire holds alike. */
const serverNow = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

export const reserveScript = new LuaScript(`
--[[
  Holds an amount of a budget if spent + held + amount fits the limit, after dropping the
  holds that expired (a node that crashed mid-call never settles them).
  KEYS[1]  hash: spent, held
  KEYS[2]  sorted set: hold "<amount>:<id>" -> expiry (ms, server clock)
  ARGV[1]  amount; "0" holds nothing and only reports what is used
  ARGV[2]  limit
  ARGV[3]  hold lifetime in ms
  ARGV[4]  the new hold's id
  Returns  { -1, '0' } when KEYS[1] does not exist (nothing changed: seed it, then reserve again);
           { 1, usedBefore, hold } when held ('' as the hold for a zero amount);
           { 0, usedBefore } when refused. usedBefore = spent + held, as a string.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return { -1, '0' } end
${serverNow}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for i = 1, #expired do
  redis.call('HINCRBYFLOAT', KEYS[1], 'held', '-' .. string.match(expired[i], '^([^:]+):'))
end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end
-- No live holds: held is exactly 0 (also after the set expired whole, or rounding left a crumb).
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('HSET', KEYS[1], 'held', '0') end
local values = redis.call('HMGET', KEYS[1], 'spent', 'held')
local used = tonumber(values[1] or '0') + tonumber(values[2] or '0')
local usedText = string.format('%.17g', used)
-- The same tolerance as the embedded adapter, so a limit reached by decimal steps still fits.
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) + 1e-12 then return { 0, usedText } end
if tonumber(ARGV[1]) == 0 then return { 1, usedText, '' } end
local hold = ARGV[1] .. ':' .. ARGV[4]
local holdMs = tonumber(ARGV[3])
redis.call('ZADD', KEYS[2], now + holdMs, hold)
redis.call('HINCRBYFLOAT', KEYS[1], 'held', ARGV[1])
-- The set outlives its longest hold, whatever the order they came in.
if redis.call('PTTL', KEYS[2]) < holdMs then redis.call('PEXPIRE', KEYS[2], holdMs) end
return { 1, usedText, hold }
`);

export const extendScript = new LuaScript(`
--[[
  Keeps a hold of a call that is still running for another lifetime from now.
  KEYS[1]  sorted set: hold -> expiry (ms, server clock)
  ARGV[1]  the hold
  ARGV[2]  hold lifetime in ms
  Returns  1 when extended, 0 when the hold is gone (settled, or expired and dropped)
]]
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expiry then return 0 end
${serverNow}
local holdMs = tonumber(ARGV[2])
if now + holdMs > tonumber(expiry) then redis.call('ZADD', KEYS[1], 'XX', now + holdMs, ARGV[1]) end
if redis.call('PTTL', KEYS[1]) < holdMs then redis.call('PEXPIRE', KEYS[1], holdMs) end
return 1
`);

export const settleScript = new LuaScript(`
--[[
  Ends a hold and adds the amount actually spent.
  KEYS[1]  hash: spent, held
  KEYS[2]  sorted set: hold -> expiry
  ARGV[1]  the hold ('' when nothing was held)
  ARGV[2]  actual amount
  Returns  1 when settled; 0 when KEYS[1] does not exist (nothing changed: seed it, settle again)
  A hold already dropped as expired was taken off held then; only the actual amount is added.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] ~= '' and redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
  redis.call('HINCRBYFLOAT', KEYS[1], 'held', '-' .. string.match(ARGV[1], '^([^:]+):'))
  if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('HSET', KEYS[1], 'held', '0') end
end
redis.call('HINCRBYFLOAT', KEYS[1], 'spent', ARGV[2])
return 1
`);

export const seedScript = new LuaScript(`
--[[
  Creates a missing budget from its spend in the ledger; holds that outlived the budget (a
  call still in flight when it expired or was lost) count in held.
  KEYS[1]  hash: spent, held
  KEYS[2]  sorted set: hold -> expiry
  ARGV[1]  spent
  ARGV[2]  TTL of the hash in ms
  Returns  1 when created, 0 when the budget existed (left alone)
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
${serverNow}
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('HSET', KEYS[1], 'spent', ARGV[1], 'held', '0')
local holds = redis.call('ZRANGE', KEYS[2], 0, -1)
for i = 1, #holds do
  redis.call('HINCRBYFLOAT', KEYS[1], 'held', string.match(holds[i], '^([^:]+):'))
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);
