#!/usr/bin/env bash
# Issue 13's benchmark: one worker vs three workers on one shared Redis Cluster frontier, each at
# --concurrency C against the light fixture server with latency L, then Redis CPU per URL (INFO cpu,
# summed over the 3 masters) and memory per URL (INFO memory). Run on an idle machine:
#
#   ./mvnw -B -q -Pdist -pl crawler-cli -am package -DskipTests
#   scripts/bench-shared-frontier.sh [PAGES] [C] [LATENCY]      defaults: 20000 64 100ms
#
# First a control (NO_CONTROL=1 skips it): one in-memory crawl of PAGES, then three in-memory
# crawls of PAGES/3 at once — what three JVMs get on this machine with nothing shared. Then one
# worker and three workers on the shared frontier. Prints pages/s of each run three ways (wall with
# JVM starts; the crawl span from the workers' reports; the middle half of the pages, which leaves
# out the ramp-up of the BFS and the JIT and the tail), the speed-ups (target >= 2.7), worker CPU
# per page, Redis CPU ms per URL (target <= 0.05) and Redis bytes per URL accepted, then INFO
# commandstats per URL of each shared run (KEEP=1 keeps the outputs; JAVA=... picks the java;
# ONLY_ONE=1 stops after the one-worker run; EXTRA='--no-robots' adds crawl options to every run;
# ENGINE=virtual picks the engine, reactive by default). Do not wrap it in timeout(1): the daemonized nodes die with it. Needs redis-server (apt-get install redis-server) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-20000}
c=${2:-64}
latency=${3:-100ms}
jar=crawler-cli/target/duocrawl.jar
java=${JAVA:-java}
[ -f "$jar" ] || { echo "bench: build $jar first (see the header)" >&2; exit 1; }
work=$(mktemp -d)
port=${PORT:-17100} # its cluster-bus ports (+10000) stay below the ephemeral range (32768 up)
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

run() { # run NAME WORKERS [memory] -> "seconds urls cpu_seconds memory_bytes" to $work/NAME.result
  # memory: each worker crawls pages/WORKERS in its own in-memory frontier (the control: what
  # this machine gives WORKERS independent JVMs at once, with no shared frontier)
  local name=$1 n=$2 mode=${3:-shared}
  local cpu0 mem0 t0 t1
  local -a workers frontier
  if [ "$mode" = memory ]; then
    frontier=(--max-pages "$((pages / n))")
  else
    frontier=(--max-pages "$pages" --frontier "$uri" --crawl-id "$name")
  fi
  reset_stats
  cpu0=$(python3 -c "print($(stat cpu used_cpu_user) + $(stat cpu used_cpu_sys))")
  mem0=$(stat memory used_memory)
  t0=$(date +%s.%N)
  for i in $(seq 1 "$n"); do
    "$java" -jar "$jar" crawl --engine "${ENGINE:-reactive}" --concurrency "$c" --per-host "$c" --delay 0 \
      --scope any "${frontier[@]}" --report "$work/$name-$i.json" ${EXTRA:-} \
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
  [ "$mode" = memory ] || profile "$name" "$urls"
}

if [ -z "${NO_CONTROL:-}" ]; then
  run mem1 1 memory
  run mem3 3 memory
fi
run one 1
[ -n "${ONLY_ONE:-}" ] && exit 0
run three 3
python3 - "$work" "$c" "$latency" <<'PY'
import sys, json, glob, os, datetime, re
work, c, latency = sys.argv[1], sys.argv[2], sys.argv[3]

def seconds(iso):
    """An ISO-8601 duration as Java prints it (PT1M2.5S) in seconds."""
    h, m, s = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", iso).groups()
    return int(h or 0) * 3600 + int(m or 0) * 60 + float(s or 0)

def load(name):
    """Wall seconds, URLs, Redis CPU s, Redis bytes; the workers' reports."""
    s, u, cpu, mem = map(float, open(f"{work}/{name}.result").read().split())
    reports = [json.load(open(f)) for f in sorted(glob.glob(f"{work}/{name}-*.json"))]
    return s, u, cpu, mem, reports

def rates(reports, urls, wall):
    """pages/s: wall (JVM starts included); crawl span (first start to last end, from the reports);
    middle half (the union's pages/s from 25 % to 75 % of its pages, timelines aligned by start)."""
    starts = [datetime.datetime.fromisoformat(r["startedAt"].replace("Z", "+00:00")).timestamp()
              for r in reports]
    ends = [st + seconds(r["duration"]) for st, r in zip(starts, reports)]
    span = max(ends) - min(starts)
    t0 = min(starts)
    per_second = {}
    for st, r in zip(starts, reports):
        for k, n in enumerate(r["timeline"]):
            sec = int(round(st - t0)) + k
            per_second[sec] = per_second.get(sec, 0) + n
    total = sum(per_second.values())
    done, lo, hi = 0, None, None
    for sec in sorted(per_second):
        done += per_second[sec]
        if lo is None and done >= 0.25 * total:
            lo, at_lo = sec, done
        if hi is None and done >= 0.75 * total:
            hi, at_hi = sec, done
    middle = (at_hi - at_lo) / (hi - lo) if hi is not None and hi > lo else float("nan")
    cpu = sum(seconds(r["cpuTime"]) for r in reports)
    return urls / wall, urls / span, middle, cpu * 1000 / urls

runs = {}
for name in ("mem1", "mem3", "one", "three"):
    if os.path.exists(f"{work}/{name}.result"):
        runs[name] = load(name)
print(f"C={c} per worker, latency {latency}; pages/s as wall (JVM starts included) / crawl span"
      f" (first start to last end) / middle half (25..75 % of the pages); worker CPU ms per page")
r = {}
for name, label in (("mem1", "control, one in-memory crawl"),
                    ("mem3", "control, three in-memory crawls"),
                    ("one", "one worker, shared frontier"),
                    ("three", "three workers, shared frontier")):
    if name in runs:
        s, u, cpu, mem, reports = runs[name]
        r[name] = rates(reports, u, s)
        w, sp, mid, cpp = r[name]
        print(f"{label:34s} {u:7.0f} URLs  {w:7.1f} / {sp:7.1f} / {mid:7.1f} pages/s  {cpp:.2f} ms")
for a, b, label in (("mem1", "mem3", "control (what 3 JVMs get here)"),
                    ("one", "three", "shared frontier (target >= 2.7)")):
    if a in r and b in r:
        print(f"speed-up {label}: {r[b][0] / r[a][0]:.2f} x wall, {r[b][1] / r[a][1]:.2f} x span,"
              f" {r[b][2] / r[a][2]:.2f} x middle half")
if "one" in r and "three" in r and "mem3" in r:
    print(f"three shared workers vs three in-memory crawls: {r['three'][2] / r['mem3'][2]:.2f} x"
          f" (middle half): the cost of sharing the frontier on this machine")
for name in ("one", "three"):
    if name in runs:
        s, u, cpu, mem, _ = runs[name]
        print(f"Redis ({name}): CPU {cpu * 1000 / u:.4f} ms per URL (target <= 0.05),"
              f" memory {mem / u:.1f} B per URL of the finished crawl (seen set, counters, host"
              f" state)")
PY
for name in one three; do [ -f "$work/$name.profile" ] && cat "$work/$name.profile"; done
[ -z "${KEEP:-}" ] || echo "bench: outputs kept in $work"
