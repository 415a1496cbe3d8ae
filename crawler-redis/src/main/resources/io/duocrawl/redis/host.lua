-- Host state changes. ARGV op, host, ms, cap; op: pause (paused for ms, so a dead worker's pause
-- ends by itself), resume (unpaused, politeness delay ms), hold (held until now + ms, only longer).
-- Returns {1, target, pending, version, publish}.
local op, host, ms, cap = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
if op == 'pause' then
  redis.call('HSET', H, 'p:' .. host, now_ms() + ms)
elseif op == 'resume' then
  redis.call('HDEL', H, 'p:' .. host)
  redis.call('HSET', H, 'd:' .. host, ms)
  -- A request of this host claimed before its rules were known (pauses are not shared) goes out
  -- now, when the rules arrive: the next one waits the new delay from now, not from its claim.
  if ms > 0 and num(redis.call('HGET', H, 'i:' .. host)) > 0 then
    local next_ms = now_ms() + ms
    if next_ms > num(redis.call('HGET', H, 'n:' .. host)) then
      redis.call('HSET', H, 'n:' .. host, next_ms)
    end
  end
elseif op == 'hold' then
  local until_ms = now_ms() + ms
  if until_ms > num(redis.call('HGET', H, 'w:' .. host)) then
    redis.call('HSET', H, 'w:' .. host, until_ms)
  end
end
schedule(host, cap)
return with_index({1}, false)
