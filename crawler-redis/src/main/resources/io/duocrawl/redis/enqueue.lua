-- The URLs of one bucket offered together (a page's links). KEYS[8..] the seen-set shards they
-- fall in (sets of signed 64-bit fingerprints: intsets while small). ARGV cap, then four per URL:
-- the index in KEYS of its shard, fingerprint, host, payload.
-- Returns {target, pending, version, publish, a1, a2, ...} (see indexed): a = 1 accepted (queued),
-- 0 a duplicate.
local cap = tonumber(ARGV[1])
local answers, hosts, added = {}, {}, 0
for i = 2, #ARGV, 4 do
  if redis.call('SADD', KEYS[tonumber(ARGV[i])], ARGV[i + 1]) == 0 then
    answers[#answers + 1] = 0
  else
    local host = ARGV[i + 2]
    redis.call('ZADD', Q, 0, seq_member(host, ARGV[i + 3]))
    hosts[host] = true
    added = added + 1
    answers[#answers + 1] = 1
  end
end
if added > 0 then redis.call('HINCRBY', C, 'q', added) end
for host in pairs(hosts) do schedule(host, cap) end
return indexed_then(answers, false)
