#!/usr/bin/env bash
# The bench `sweep` (a 100-run grid of short firm backtests) on one local silo and on a cluster of N silos started here:
#   scripts/cluster-sweep.sh [--silos 3] [--per-silo 2] [--days 60]
# Prints each bench's JSON line and, for the cluster, the CPU seconds each silo spent (from /proc) over the sweep;
# docs/cluster.md's per-silo cost model is computed from these figures.
set -euo pipefail
cd "$(dirname "$0")/.."
silos=3 per_silo=2 days=60
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos="$2"; shift 2 ;;
    --per-silo) per_silo="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    *) echo "error: unknown flag '$1'" >&2; exit 2 ;;
  esac
done
dir=out/cluster-sweep
dotnet build src/AgentFirm.Host -v q -nologo -m:1 >/dev/null
dotnet build bench/AgentFirm.Bench -v q -nologo -m:1 >/dev/null
bench() { BENCH_PER_SILO=$per_silo BENCH_DAYS=$days dotnet bench/AgentFirm.Bench/bin/Debug/net10.0/AgentFirm.Bench.dll sweep; }

echo "one local silo:"
bench

echo "cluster of $silos silo(s):"
scripts/cluster.sh up --silos "$silos" --dir "$dir" --redis-port 6392 --pg-port 5442 --silo-port 11181 --gateway-port 30081 --no-build >/dev/null
trap 'scripts/cluster.sh down --dir "$dir" >/dev/null' EXIT
# shellcheck disable=SC1091
. "$dir/cluster.env"
tick=$(getconf CLK_TCK)
cpu() { awk -v t="$tick" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; } # utime + stime of one process, seconds
pids=(); for f in "$dir"/silo-*.pid; do pids+=("$(cat "$f")"); done
before=(); for p in "${pids[@]}"; do before+=("$(cpu "$p")"); done
bench
for i in "${!pids[@]}"; do
  echo "silo $i: $(awk -v a="${before[$i]}" -v b="$(cpu "${pids[$i]}")" 'BEGIN { printf "%.2f", b - a }') CPU seconds"
done
