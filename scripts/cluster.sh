#!/usr/bin/env bash
# The firm's cluster on one machine, for trying it and for the tests: Redis (append-only), PostgreSQL and N silos.
#
#   scripts/cluster.sh up [--silos 3] [--dir out/cluster] [--redis-port 6380] [--pg-port 5433] [--silo-port 11111] [--gateway-port 30000] [--no-build]
#   scripts/cluster.sh down [--dir out/cluster]
#   scripts/cluster.sh status [--dir out/cluster]
#
# Neither server starts by itself after `apt-get install redis-server postgresql`: this script runs initdb (as the
# postgres user when run as root, since initdb refuses root; as the current user otherwise), pg_ctl and redis-server
# with its own config in DIR, and stops them again with `down`. `up` writes DIR/cluster.env; source it and any verb
# takes --cluster:  . out/cluster/cluster.env && dotnet run --project src/AgentFirm.Host -- backtest --strategy firm --cluster ...
set -euo pipefail
cd "$(dirname "$0")/.."

cmd="${1:-}"; shift || true
silos=3 dir=out/cluster redis_port=6380 pg_port=5433 silo_port=11111 gateway_port=30000 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --redis-port) redis_port="$2"; shift 2 ;;
    --pg-port) pg_port="$2"; shift 2 ;;
    --silo-port) silo_port="$2"; shift 2 ;;
    --gateway-port) gateway_port="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "error: unknown flag '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
done
case "$silos" in ''|*[!0-9]*) echo "error: --silos '$silos' is not a whole number" >&2; exit 2 ;; esac
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
pgdata="$dir/pg/data"
dll="src/AgentFirm.Host/bin/Debug/net10.0/agentfirm.dll"

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: $1 not found: apt-get install $2" >&2; exit 1; }; }
pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
# initdb and pg_ctl refuse to run as root: run them as postgres then, as ourselves otherwise.
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

start_redis() {
  need redis-server redis-server
  cat > "$dir/redis.conf" <<EOF
port $redis_port
bind 127.0.0.1
dir $dir
appendonly yes
appendfsync everysec
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
save ""
EOF
  redis-server "$dir/redis.conf"
  for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && return 0; sleep 0.1; done
  echo "error: redis did not answer on port $redis_port (see $dir/redis.log)" >&2; exit 1
}

start_postgres() {
  local bin; bin="$(pgbin)"
  [ -n "$bin" ] || { echo "error: PostgreSQL not found: apt-get install postgresql" >&2; exit 1; }
  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown -R postgres "$dir/pg"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    as_pg "'$bin/initdb' -D '$pgdata' -U postgres -A trust -E UTF8 --locale=C.UTF-8" > "$dir/pg/initdb.log" 2>&1 \
      || { echo "error: initdb failed (see $dir/pg/initdb.log)" >&2; exit 1; }
  fi
  as_pg "'$bin/pg_ctl' -D '$pgdata' -l '$dir/pg/log' -o \"-p $pg_port -k '$dir/pg' -c listen_addresses=127.0.0.1\" -w start" >/dev/null \
    || { echo "error: PostgreSQL did not start (see $dir/pg/log)" >&2; exit 1; }
  "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'agentfirm'" | grep -q 1 \
    || "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE agentfirm"
}

start_silo() {
  local i="$1"
  # shellcheck disable=SC1091
  . "$dir/cluster.env"
  nohup dotnet "$dll" silo --profile cluster --silo-port $((silo_port + i)) --gateway-port $((gateway_port + i)) \
    > "$dir/silo-$i.log" 2>&1 &
  echo $! > "$dir/silo-$i.pid"
}

wait_ready() {
  local i="$1"
  for _ in $(seq 1 600); do
    grep -q "silo ready:" "$dir/silo-$i.log" 2>/dev/null && return 0
    kill -0 "$(cat "$dir/silo-$i.pid")" 2>/dev/null || { echo "error: silo $i exited (see $dir/silo-$i.log)" >&2; tail -5 "$dir/silo-$i.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "error: silo $i not ready after 60 s (see $dir/silo-$i.log)" >&2; exit 1
}

stop_all() {
  for pidfile in "$dir"/silo-*.pid; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  if [ -f "$dir/redis.pid" ]; then
    redis-cli -p "$(awk '/^port/ {print $2}' "$dir/redis.conf")" shutdown >/dev/null 2>&1 || kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    rm -f "$dir/redis.pid"
  fi
  if [ -f "$pgdata/postmaster.pid" ]; then as_pg "'$(pgbin)/pg_ctl' -D '$pgdata' -m fast -w stop" >/dev/null || true; fi
}

case "$cmd" in
  up)
    if [ "$build" = 1 ] && [ "$silos" -gt 0 ]; then dotnet build src/AgentFirm.Host -m:2 -v q -nologo >/dev/null; fi
    [ "$silos" -eq 0 ] || [ -f "$dll" ] || { echo "error: $dll not built (drop --no-build)" >&2; exit 1; }
    trap 'echo "cluster start failed; stopping what started" >&2; stop_all' ERR
    start_redis
    start_postgres
    # A fresh cluster id per start: a silo killed with -9 stays "Active" in Redis, and a reused id makes new silos wait on it.
    cat > "$dir/cluster.env" <<EOF
export AgentFirm__Cluster__Redis=127.0.0.1:$redis_port
export AgentFirm__Cluster__Postgres="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=agentfirm"
export AgentFirm__Cluster__ServiceId=agentfirm
export AgentFirm__Cluster__ClusterId=cluster-$(date +%s)-$$
EOF
    for i in $(seq 0 $((silos - 1))); do start_silo "$i"; done
    for i in $(seq 0 $((silos - 1))); do wait_ready "$i"; done
    trap - ERR
    echo "cluster up: Redis 127.0.0.1:$redis_port, PostgreSQL 127.0.0.1:$pg_port, $silos silo(s) (gateways $gateway_port..$((gateway_port + silos - 1))); . $dir/cluster.env to join it"
    ;;
  down)
    stop_all
    echo "cluster down"
    ;;
  status)
    redis-cli -p "$redis_port" ping 2>/dev/null || echo "redis: not answering on $redis_port"
    "$(pgbin)/pg_isready" -h 127.0.0.1 -p "$pg_port" || true
    for pidfile in "$dir"/silo-*.pid; do [ -f "$pidfile" ] && { kill -0 "$(cat "$pidfile")" 2>/dev/null && echo "$(basename "$pidfile" .pid): running" || echo "$(basename "$pidfile" .pid): dead"; }; done
    ;;
  *) echo "usage: $0 up|down|status [flags] (see the header)" >&2; exit 2 ;;
esac
