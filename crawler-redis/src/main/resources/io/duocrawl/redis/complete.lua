-- ARGV tok, host, cap, url. Returns {0|1 done, target, pending, version, publish}; 0: the lease was reclaimed (stale).
local ok = 0
if end_lease(ARGV[1], ARGV[4]) then
  redis.call('HINCRBY', C, 'done', 1)
  ok = 1
end
schedule(ARGV[2], tonumber(ARGV[3]))
return with_index({ok}, false)
