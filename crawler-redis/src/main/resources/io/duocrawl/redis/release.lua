-- A lease given back unused (a worker stopping): its member returns to its place in the queue.
-- ARGV tok, host, cap, url. Returns {0|1, target, pending, version, publish}.
local ok = 0
local m = end_lease(ARGV[1], ARGV[4])
if m then
  redis.call('ZADD', Q, 0, m)
  redis.call('HINCRBY', C, 'q', 1)
  ok = 1
end
schedule(ARGV[2], tonumber(ARGV[3]))
return with_index({ok}, false)
