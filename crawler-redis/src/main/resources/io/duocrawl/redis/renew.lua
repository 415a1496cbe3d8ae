-- ARGV leaseMs, then pairs tok, url: each lease still held for its URL expires leaseMs from now.
-- Returns how many were renewed. The bucket's index entry is left earlier than its new event
-- (harmless: see indexed).
local leaseMs = tonumber(ARGV[1])
local now = now_ms()
local n = 0
for i = 2, #ARGV, 2 do
  local tok, url = ARGV[i], ARGV[i + 1]
  local m = redis.call('HGET', LH, tok)
  if m and holds(m, url) then
    redis.call('ZADD', L, 'XX', now + leaseMs, tok)
    n = n + 1
  end
end
return {n}
