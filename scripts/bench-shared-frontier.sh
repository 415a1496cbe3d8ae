#!/usr/bin/env bash
# Issue 13's benchmark: one worker vs three workers on one shared Redis Cluster frontier, each at
# --concurrency C against the light fixture server with latency L, then Redis CPU per URL (INFO cpu,
# summed over the 3 masters) and memory per URL (INFO memory). Run on an idle machine:
#
#   ./mvnw -B -q -Pdist -pl crawler-cli -am package -DskipTests
#   scripts/bench-shared-frontier.sh [PAGES] [C] [LATENCY]      defaults: 20000 64 100ms
#
# Prints pages/s of each run, the speed-up (target >= 2.7), Redis CPU ms per URL (target <= 0.05)
# and Redis bytes per URL accepted, then INFO commandstats per URL of each run (KEEP=1 keeps the
# outputs; JAVA=... picks the java). Do not wrap it in timeout(1): the daemonized nodes die with it. Needs redis-server (apt-get install redis-server) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-20000}
c=${2:-64}
latency=${3:-100ms}
jar=crawler-cli/target/duocrawl.jar
java=${JAVA:-java}
[ -f "$jar" ] || { echo "bench: build $jar first (see the header)" >&2; exit 1; }
work=$(mktemp -d)
port=${PORT:-27100}
uri="redis://127.0.0.1:$port,127.0.0.1:$((port + 1)),127.0.0.1:$((port + 2))"
fixture_pid=
cleanup() {
  [ -n "$fixture_pid" ] && kill "$fixture_pid" 2>/dev/null || true
  scripts/redis-cluster.sh stop "$work/redis" >/dev/null || true
}
trap cleanup EXIT

scripts/redis-cluster.sh start "$work/redis" "$port" >/dev/null
"$java" -jar "$jar" fixture serve --server netty --pages "$pages" --origins 64 \
  --latency "fixed:$latency" > "$work/fixture.out" 2>&1 &
fixture_pid=$!
for _ in $(seq 1 100); do
  root=$(head -1 "$work/fixture.out" 2>/dev/null || true)
  case "$root" in http*) break ;; esac
  sleep 0.2
done

stat() { # sum of a numeric INFO field over the masters
  local section=$1 field=$2 sum=0
  for p in $port $((port + 1)) $((port + 2)); do
    v=$(redis-cli -p "$p" info "$section" | tr -d '\r' | awk -F: -v f="$field" '$1 == f {print $2}')
    sum=$(python3 -c "print($sum + $v)")
  done
  echo "$sum"
}

profile() { # profile NAME URLS: INFO commandstats summed over the masters, per URL, to NAME.profile
  local name=$1 urls=$2
  for p in $port $((port + 1)) $((port + 2)); do
    redis-cli -p "$p" info commandstats | tr -d '\r'
  done | python3 -c '
import sys, re, collections
urls = max(1, int(sys.argv[1])); calls = collections.Counter(); usec = collections.Counter()
for line in sys.stdin:
    m = re.match(r"cmdstat_([^:]+):calls=(\d+),usec=(\d+)", line)
    if m:
        calls[m[1]] += int(m[2]); usec[m[1]] += int(m[3])
top = calls["evalsha"] + calls["eval"]
rest = sum(v for k, v in calls.items() if k not in ("evalsha", "eval") and k in sys.argv[3].split())
print("commandstats of %s (%d URLs) summed over the masters (commands run inside scripts are"
      " counted too, and their time is inside the script time)" % (sys.argv[2], urls))
print("%-22s%10s%11s%11s%10s" % ("command", "calls", "calls/URL", "usec/call", "usec/URL"))
for c, u in usec.most_common(14):
    print("%-22s%10d%11.2f%11.2f%10.2f" % (c, calls[c], calls[c] / urls, u / calls[c], u / urls))
print("scripts: %.2f calls/URL; top-level commands: %.2f calls/URL; usec/URL of scripts + top-level"
      " commands: %.2f" % (top / urls, (top + rest) / urls,
      (usec["evalsha"] + usec["eval"] + sum(v for k, v in usec.items() if k in sys.argv[3].split())) / urls))
' "$urls" "$name" "${TOPLEVEL:-sismember incr decr zadd zrem zrangebyscore zcard get hgetall hsetnx time ping script unlink}" > "$work/$name.profile"
  for p in $port $((port + 1)) $((port + 2)); do
    echo "== master $p: slowlog (>= 10 ms)"; redis-cli -p "$p" slowlog get 5 | tr -d '\r' | head -40
  done > "$work/$name.slowlog"
}

reset_stats() {
  for p in $port $((port + 1)) $((port + 2)); do
    redis-cli -p "$p" config resetstat >/dev/null
    redis-cli -p "$p" config set slowlog-log-slower-than 10000 >/dev/null
    redis-cli -p "$p" slowlog reset >/dev/null
  done
}

run() { # run NAME WORKERS -> writes "seconds urls cpu_seconds memory_bytes" to $work/NAME.result
  local name=$1 n=$2
  local cpu0 mem0 t0 t1
  local -a workers
  reset_stats
  cpu0=$(python3 -c "print($(stat cpu used_cpu_user) + $(stat cpu used_cpu_sys))")
  mem0=$(stat memory used_memory)
  t0=$(date +%s.%N)
  for i in $(seq 1 "$n"); do
    "$java" -jar "$jar" crawl --engine reactive --concurrency "$c" --per-host "$c" --delay 0 \
      --scope any --max-pages "$pages" --frontier "$uri" --crawl-id "$name" \
      --out "$work/$name-$i.jsonl" "$root" > "$work/$name-$i.log" 2>&1 &
    workers[$i]=$!
  done
  for i in $(seq 1 "$n"); do
    wait "${workers[$i]}" || echo "bench: worker $i of $name failed: $(tail -1 "$work/$name-$i.log")" >&2
  done
  t1=$(date +%s.%N)
  local urls cpu1 mem1
  urls=$(cat "$work/$name"-*.jsonl | wc -l)
  cpu1=$(python3 -c "print($(stat cpu used_cpu_user) + $(stat cpu used_cpu_sys))")
  mem1=$(stat memory used_memory)
  echo "$(python3 -c "print($t1 - $t0)") $urls $(python3 -c "print($cpu1 - $cpu0)") $((mem1 - mem0))" \
    > "$work/$name.result"
  profile "$name" "$urls"
}

run one 1
[ -n "${ONLY_ONE:-}" ] || run three 3
read -r s1 u1 cpu1 mem1 < "$work/one.result"
read -r s3 u3 cpu3 mem3 < "$work/three.result"
python3 - "$s1" "$u1" "$cpu1" "$mem1" "$s3" "$u3" "$cpu3" "$mem3" "$c" "$latency" <<'PY'
import sys
s1, u1, cpu1, mem1, s3, u3, cpu3, mem3 = map(float, sys.argv[1:9])
print(f"one worker:    {u1:.0f} URLs in {s1:.1f} s = {u1 / s1:.1f} pages/s"
      f" (wall time of the whole run, JVM start included)")
print(f"three workers: {u3:.0f} URLs in {s3:.1f} s = {u3 / s3:.1f} pages/s")
print(f"speed-up: {(u3 / s3) / (u1 / s1):.2f} x (target >= 2.7) at C={sys.argv[9]} per worker,"
      f" latency {sys.argv[10]}")
print(f"Redis CPU per URL: {cpu1 * 1000 / u1:.4f} ms (one), {cpu3 * 1000 / u3:.4f} ms (three)"
      f" (target <= 0.05)")
print(f"Redis memory per URL of a finished crawl (seen set, counters, host state):"
      f" {mem1 / u1:.1f} B (one), {mem3 / u3:.1f} B (three)")
PY
cat "$work/one.profile" "$work/three.profile"
[ -z "${KEEP:-}" ] || echo "bench: outputs kept in $work"
