#!/usr/bin/env bash
# A local Redis Cluster on loopback for duocrawl's shared frontier (docs/distributed.md), from
# Debian's redis-server (apt-get install redis-server).
#
#   scripts/redis-cluster.sh start DIR [PORT] [--replicas]   3 masters on PORT, PORT+1, PORT+2
#                                                           (+3 replicas on PORT+3..PORT+5)
#   scripts/redis-cluster.sh stop DIR                        stops every node started in DIR
#
# PORT defaults to 7000; the cluster bus of each node is its port + 10000, so both must be free
# (keep the bus below the ephemeral range, 32768 up on Linux, or a client socket may hold it).
# Nodes bind 127.0.0.1 only, keep no snapshots, and write their logs and nodes-*.conf to DIR.
# Then: duocrawl crawl --frontier redis://127.0.0.1:PORT --crawl-id NAME ...
set -euo pipefail

usage() {
  echo "usage: $0 start DIR [PORT] [--replicas] | stop DIR" >&2
  exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
shift 2

case "$cmd" in
  start)
    port=7000
    replicas=0
    for arg in "$@"; do
      case "$arg" in
        --replicas) replicas=1 ;;
        ''|*[!0-9]*) usage ;;
        *) port=$arg ;;
      esac
    done
    if ! command -v redis-server >/dev/null 2>&1; then
      echo "redis-cluster: redis-server not found: apt-get install redis-server" >&2
      exit 1
    fi
    count=$((3 + 3 * replicas))
    mkdir -p "$dir"
    nodes=()
    for ((i = 0; i < count; i++)); do
      p=$((port + i))
      redis-server --port "$p" --bind 127.0.0.1 --protected-mode no \
        --cluster-enabled yes --cluster-config-file "nodes-$p.conf" --cluster-node-timeout 2000 \
        --dir "$dir" --save '' --appendonly no \
        --daemonize yes --pidfile "$(cd "$dir" && pwd)/redis-$p.pid" --logfile "redis-$p.log"
      nodes+=("127.0.0.1:$p")
    done
    for ((i = 0; i < count; i++)); do
      p=$((port + i))
      up=
      for _ in $(seq 1 100); do
        redis-cli -p "$p" ping >/dev/null 2>&1 && { up=1; break; }
        sleep 0.1
      done
      if [ -z "$up" ]; then
        echo "redis-cluster: node $p did not start: $(grep -m1 -E 'Could not|Failed|Error' "$dir/redis-$p.log" || tail -1 "$dir/redis-$p.log")" >&2
        "$0" stop "$dir" >/dev/null
        exit 1
      fi
    done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas "$replicas" --cluster-yes >/dev/null
    for _ in $(seq 1 100); do
      redis-cli -p "$port" cluster info 2>/dev/null | grep -q 'cluster_state:ok' && break
      sleep 0.1
    done
    echo "redis-cluster: $count nodes up: redis://127.0.0.1:$port,127.0.0.1:$((port + 1)),127.0.0.1:$((port + 2))"
    ;;
  stop)
    shopt -s nullglob
    for pidfile in "$dir"/redis-*.pid; do
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    done
    echo "redis-cluster: stopped the nodes of $dir"
    ;;
  *) usage ;;
esac
