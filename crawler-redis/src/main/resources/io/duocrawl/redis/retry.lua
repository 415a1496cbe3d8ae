-- ARGV tok, host, payload, delay ms, cap, url. Returns {0|1, target, pending, version, publish}.
local ok = 0
if end_lease(ARGV[1], ARGV[6]) then
  redis.call('ZADD', D, now_ms() + tonumber(ARGV[4]), seq_member(ARGV[2], ARGV[3]))
  redis.call('HINCRBY', C, 'd', 1)
  ok = 1
end
schedule(ARGV[2], tonumber(ARGV[5]))
return with_index({ok}, false)
