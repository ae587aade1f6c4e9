#!/usr/bin/env bash
# Twenty firms live on a running cluster (scripts/cluster.sh up) with the CPU the silos and the driver spend:
#   scripts/cluster-load.sh [--dir out/cluster] [--firms 20] [--seconds 300] [--speed 5]
# Prints the bench's JSON line (decision latency p50/p99, exact-ledger check) and the CPU seconds per silo, from
# /proc, measured over the run; docs/cluster.md's cost model is computed from these figures.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=out/cluster firms=20 seconds=300 speed=5
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --firms) firms="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --speed) speed="$2"; shift 2 ;;
    *) echo "error: unknown flag '$1'" >&2; exit 2 ;;
  esac
done
[ -f "$dir/cluster.env" ] || { echo "error: $dir/cluster.env not found: run scripts/cluster.sh up first" >&2; exit 2; }
# shellcheck disable=SC1091
. "$dir/cluster.env"
tick=$(getconf CLK_TCK)
cpu() { awk -v t="$tick" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; } # utime + stime of one process, seconds
pids=(); for f in "$dir"/silo-*.pid; do pids+=("$(cat "$f")"); done
before=(); for p in "${pids[@]}"; do before+=("$(cpu "$p")"); done
dotnet build bench/AgentFirm.Bench -v q -nologo >/dev/null
BENCH_FIRMS=$firms BENCH_SECONDS=$seconds BENCH_SPEED=$speed dotnet bench/AgentFirm.Bench/bin/Debug/net10.0/AgentFirm.Bench.dll cluster-live
for i in "${!pids[@]}"; do
  echo "silo $i: $(awk -v a="${before[$i]}" -v b="$(cpu "${pids[$i]}")" 'BEGIN { printf "%.2f", b - a }') CPU seconds"
done
