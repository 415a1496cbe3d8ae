-- KEYS[8] seen shard (a set of signed 64-bit fingerprints: an intset while small)
-- ARGV fp, host, payload, cap. Returns {0|1 accepted, target, pending, version, publish}.
if redis.call('SADD', KEYS[8], ARGV[1]) == 0 then
  return with_index({0}, false)
end
redis.call('ZADD', Q, 0, seq_member(ARGV[2], ARGV[3]))
redis.call('HINCRBY', C, 'q', 1)
schedule(ARGV[2], tonumber(ARGV[4]))
return with_index({1}, false)
