-- ARGV[1] 'repair': the bucket's index entry is about to be published from this state (see indexed
-- in prelude.lua). Returns {event, pending, version}.
local s = status()
local v = num(redis.call('HGET', C, 'v'))
local target = -1
if s[2] > 0 then target = s[1] end
redis.call('HSET', C, 'ev', target)
return {target, s[2], v}
