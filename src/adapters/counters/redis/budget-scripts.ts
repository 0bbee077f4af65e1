import { LuaScript } from './lua-script.js';

/*
 * A budget is one string key holding `used` (spent + reserved) in the counter's unit, changed
 * only by INCRBYFLOAT: Redis adds in long double and stores up to 17 decimals, so sums of
 * decimal amounts (0.1 + 0.2) come out as the decimal result rather than the nearest double.
 * The key's TTL is set when it is created and kept by every later change, as the embedded
 * adapter keeps an entry's expiry from its creation.
 */

export const reserveScript = new LuaScript(`
--[[
  Reserves an amount if it fits the limit.
  KEYS[1]  budget key (string: used)
  ARGV[1]  amount
  ARGV[2]  limit
  ARGV[3]  TTL in ms for a budget that does not exist yet
  Returns  { 1, usedBefore } when reserved, { 0, usedBefore } when refused (usedBefore as a string)
]]
local used = redis.call('GET', KEYS[1])
if not used then
  used = '0'
  redis.call('SET', KEYS[1], used, 'PX', ARGV[3])
end
-- The same tolerance as the embedded adapter, so a limit reached by decimal steps still fits.
if tonumber(used) + tonumber(ARGV[1]) > tonumber(ARGV[2]) + 1e-12 then return { 0, used } end
redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
return { 1, used }
`);

export const settleScript = new LuaScript(`
--[[
  Replaces a reservation by the amount actually spent.
  KEYS[1]  budget key (string: used)
  ARGV[1]  the reserved amount, negated
  ARGV[2]  actual amount
  ARGV[3]  TTL in ms for a budget that does not exist (any more)
  Returns  the new used, as a string
]]
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], '0', 'PX', ARGV[3]) end
redis.call('INCRBYFLOAT', KEYS[1], ARGV[2])
return redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
`);
