-- Shared by every bucket script. KEYS of a bucket script, all in the slot of the bucket's hash tag:
-- 1 Q queue (zset, score 0, members host NUL seq NUL payload: FIFO per host by ZRANGEBYLEX)
-- 2 R ready index (zset host -> ms when the host may be dispatched next)
-- 3 H host state (hash i:host in flight, n:host next by politeness, d:host delay ms,
--     w:host hold until, p:host paused until)
-- 4 C counters (hash q d l done tok seq stale reclaimed; v version of the bucket's state, ev the
--     index entry last published: -1 absent, its score otherwise)
-- 5 D delayed retries (zset member -> not-before ms)
-- 6 L leases (zset token -> expiry ms)
-- 7 LH lease payloads (hash token -> member)
local Q, R, H, C, D, L, LH = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]

local function num(v)
  if v then return tonumber(v) end
  return 0
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function host_of(m)
  return string.sub(m, 1, string.find(m, '\0', 1, true) - 1)
end

-- A host is in R iff it has queued URLs and is under its in-flight cap; its score is the latest of
-- its politeness time, its hold and its pause.
local function schedule(host, cap)
  local inf = num(redis.call('HGET', H, 'i:' .. host))
  if inf >= cap then
    redis.call('ZREM', R, host)
    return
  end
  local first = redis.call('ZRANGEBYLEX', Q, '[' .. host .. '\0', '(' .. host .. '\1', 'LIMIT', 0, 1)
  if #first == 0 then
    redis.call('ZREM', R, host)
    return
  end
  local t = redis.call('HMGET', H, 'n:' .. host, 'w:' .. host, 'p:' .. host)
  redis.call('ZADD', R, math.max(num(t[1]), num(t[2]), num(t[3])), host)
end

-- {earliest event of the bucket in ms or -1, URLs pending in it}
local function status()
  local c = redis.call('HMGET', C, 'q', 'd', 'l')
  local pending = num(c[1]) + num(c[2]) + num(c[3])
  if pending == 0 then return {-1, 0} end
  local best = -1
  for _, k in ipairs({R, D, L}) do
    local h = redis.call('ZRANGE', k, 0, 0, 'WITHSCORES')
    if #h > 0 then
      local s = tonumber(h[2])
      if best < 0 or s < best then best = s end
    end
  end
  return {best, pending}
end

local function seq_member(host, payload)
  local seq = redis.call('HINCRBY', C, 'seq', 1)
  return host .. '\0' .. string.format('%015.0f', seq) .. '\0' .. payload
end

-- Whether member m is url's (its url field: after the fourth NUL, up to the end or the next NUL).
local function holds(m, url)
  return string.sub(m, -(#url + 1)) == '\0' .. url or
    string.find(m, '\0' .. url .. '\0', 1, true) ~= nil
end

-- Ends lease tok of url; returns its member, or false when the lease is gone (expired and
-- reclaimed) or is another URL's: after a failover lost the claim that issued tok, the token
-- counter was rolled back and may have issued tok again to another URL.
local function end_lease(tok, url)
  local m = redis.call('HGET', LH, tok)
  if m and not holds(m, url) then m = nil end
  if not m then
    redis.call('HINCRBY', C, 'stale', 1)
    return false
  end
  redis.call('HDEL', LH, tok)
  redis.call('ZREM', L, tok)
  redis.call('HINCRBY', H, 'i:' .. host_of(m), -1)
  redis.call('HINCRBY', C, 'l', -1)
  return m
end

-- {event, pending, version, publish}: status() with the bucket's next version, and whether the
-- caller must publish {event or -1 when nothing is pending} to the crawl's bucket index (index.lua)
-- at that version. Skipped when the index already holds an entry as early or earlier (a too early
-- entry only costs a claim that finds nothing and publishes the right time); forced after a claim,
-- which pushed the bucket's hosts later.
local function indexed(force)
  local s = status()
  local v = redis.call('HINCRBY', C, 'v', 1)
  local ev = tonumber(redis.call('HGET', C, 'ev') or '-2')
  local target, publish = -1, 0
  if s[2] == 0 then
    if ev ~= -1 then publish = 1 end
  elseif s[1] >= 0 then
    target = s[1]
    if force or ev < 0 or target < ev then publish = 1 end
  end
  if publish == 1 then redis.call('HSET', C, 'ev', target) end
  return {target, s[2], v, publish}
end

-- Appends indexed(force) to out.
local function with_index(out, force)
  for _, x in ipairs(indexed(force)) do out[#out + 1] = x end
  return out
end

-- indexed(force) followed by the elements of rest: the answer of the scripts that end many items.
local function indexed_then(rest, force)
  local out = indexed(force)
  for _, x in ipairs(rest) do out[#out + 1] = x end
  return out
end
