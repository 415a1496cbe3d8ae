-- The crawl's bucket index, in the slot of the crawl's global keys: KEYS[1] act (zset bucket ->
-- earliest event, server ms), KEYS[2] versions (hash bucket -> version of its entry). ARGV triples
-- bucket, version, target (-1: nothing pending). An entry older than the one the index holds is
-- ignored, so publishers racing on one bucket leave its latest state, whatever order their calls
-- arrive in.
for i = 1, #ARGV, 3 do
  local b, v, target = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local known = redis.call('HGET', KEYS[2], b)
  if not known or v > tonumber(known) then
    redis.call('HSET', KEYS[2], b, v)
    if target < 0 then
      redis.call('ZREM', KEYS[1], b)
    else
      redis.call('ZADD', KEYS[1], target, b)
    end
  end
end
return 1
