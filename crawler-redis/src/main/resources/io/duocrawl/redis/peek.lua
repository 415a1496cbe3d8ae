-- Read only. Returns {event, pending, queued, delayed, leased, done, stale, reclaimed}.
local s = status()
local c = redis.call('HMGET', C, 'q', 'd', 'l', 'done', 'stale', 'reclaimed')
return {s[1], s[2], num(c[1]), num(c[2]), num(c[3]), num(c[4]), num(c[5]), num(c[6])}
