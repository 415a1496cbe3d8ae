-- Completions of one bucket sent together. ARGV cap, then three per lease: token, host, url.
-- Returns {target, pending, version, publish, ok1, ok2, ...} (see indexed): ok = 1 done, 0 the lease
-- was reclaimed meanwhile (a stale ack).
local cap = tonumber(ARGV[1])
local answers, hosts, done = {}, {}, 0
for i = 2, #ARGV, 3 do
  if end_lease(ARGV[i], ARGV[i + 2]) then
    done = done + 1
    answers[#answers + 1] = 1
  else
    answers[#answers + 1] = 0
  end
  hosts[ARGV[i + 1]] = true
end
if done > 0 then redis.call('HINCRBY', C, 'done', done) end
for host in pairs(hosts) do schedule(host, cap) end
return indexed_then(answers, false)
