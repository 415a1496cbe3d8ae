-- ARGV max, leaseMs, cap, default delay ms.
-- Returns {target, pending, version, publish, tok1, member1, tok2, member2, ...} (see indexed).
local max, leaseMs, cap, defDelay = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]),
  tonumber(ARGV[4])
local now = now_ms()
-- The reaper: expired leases go back to their host's queue, in their old place.
for _, tok in ipairs(redis.call('ZRANGEBYSCORE', L, '-inf', now, 'LIMIT', 0, 100)) do
  local m = redis.call('HGET', LH, tok)
  redis.call('ZREM', L, tok)
  redis.call('HDEL', LH, tok)
  if m then
    local host = host_of(m)
    redis.call('HINCRBY', H, 'i:' .. host, -1)
    redis.call('HINCRBY', C, 'l', -1)
    redis.call('HINCRBY', C, 'q', 1)
    redis.call('HINCRBY', C, 'reclaimed', 1)
    redis.call('ZADD', Q, 0, m)
    schedule(host, cap)
  end
end
-- Retries that came due go back to their host's queue.
for _, m in ipairs(redis.call('ZRANGEBYSCORE', D, '-inf', now, 'LIMIT', 0, 100)) do
  redis.call('ZREM', D, m)
  redis.call('ZADD', Q, 0, m)
  redis.call('HINCRBY', C, 'd', -1)
  redis.call('HINCRBY', C, 'q', 1)
  schedule(host_of(m), cap)
end
local out = {}
local claimed = 0
for _, host in ipairs(redis.call('ZRANGEBYSCORE', R, '-inf', now, 'LIMIT', 0, max)) do
  if claimed >= max then break end
  local inf = num(redis.call('HGET', H, 'i:' .. host))
  local dv = redis.call('HGET', H, 'd:' .. host)
  local delay = defDelay
  if dv then delay = tonumber(dv) end
  local take = 1
  if delay == 0 then take = math.min(cap - inf, max - claimed) end
  if take > 0 then
    local items = redis.call('ZRANGEBYLEX', Q, '[' .. host .. '\0', '(' .. host .. '\1',
      'LIMIT', 0, take)
    for _, m in ipairs(items) do
      redis.call('ZREM', Q, m)
      local tok = redis.call('HINCRBY', C, 'tok', 1)
      redis.call('ZADD', L, now + leaseMs, tok)
      redis.call('HSET', LH, tok, m)
      out[#out + 1] = tostring(tok)
      out[#out + 1] = m
      claimed = claimed + 1
      inf = inf + 1
    end
    if #items > 0 then
      redis.call('HINCRBY', C, 'q', -#items)
      redis.call('HINCRBY', C, 'l', #items)
      redis.call('HSET', H, 'i:' .. host, inf)
      redis.call('HSET', H, 'n:' .. host, now + delay)
    end
  end
  schedule(host, cap)
end
local head = with_index({}, true)
for i = #head, 1, -1 do table.insert(out, 1, head[i]) end
return out
