#!/usr/bin/env bash
# Reproduces the simulator figures in docs/firm-evaluation.md.
# For each evaluation seed: simulate 930 daily days of BTC/ETH/SOL (200 for warm-up, 730 scored) with the
# default plants and with --plant none, then backtest the firm, each analyst alone, and the firm without
# each analyst in turn, all with default costs. Writes out/firm-evaluation/.
# Usage: docs/firm-evaluation.sh [SEED ...]   (default: the ten seeds chosen after tuning)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=("$@"); [ ${#seeds[@]} -gt 0 ] || seeds=(5001 5002 5003 5004 5005 5006 5007 5008 5009 5010)
out=out/firm-evaluation
dotnet build src/AgentFirm.Host -c Release -m:2 -v q >/dev/null
af() { dotnet src/AgentFirm.Host/bin/Release/net10.0/agentfirm.dll "$@"; }
# The strategic agent's HMM schedule in daily bars (its defaults are sized for hourly bars).
export AgentFirm__Strategic__MinimumHistory=120 AgentFirm__Strategic__RefitEvery=60 AgentFirm__Strategic__FitWindow=0
run() { # seed plant variant analysts...
  local seed=$1 plant=$2 variant=$3; shift 3
  local dir=$out/seed-$seed/$plant/$variant
  [ -f "$dir/report.json" ] && return 0
  ( i=0; for a in "$@"; do export "AgentFirm__Analysts__$i=$a"; i=$((i + 1)); done
    af backtest --data "$out/seed-$seed/$plant/market/ohlcv" --symbols BTC-USDT,ETH-USDT,SOL-USDT --timeframe 1d \
      --strategy firm --from 2020-07-19 --warmup 200d --out "$dir" --force > "$dir.log" 2>&1 )
  echo "seed $seed $plant $variant: $(grep -m1 'Sharpe' "$dir.log" | tr -s ' │' ' ')"
}
for seed in "${seeds[@]}"; do
  for plant in default none; do
    mkdir -p "$out/seed-$seed/$plant"
    [ -d "$out/seed-$seed/$plant/market" ] || af simulate --seed "$seed" --days 930 --timeframe 1d --plant "$plant" \
      --symbols BTC-USDT,ETH-USDT,SOL-USDT --out "$out/seed-$seed/$plant/market" > /dev/null
  done
  run "$seed" default firm &
  run "$seed" none firm
  wait
  run "$seed" default only-sentiment sentiment &
  run "$seed" default only-onchain onchain
  wait
  run "$seed" default only-technical technical &
  run "$seed" default only-causal causal
  wait
  run "$seed" default without-sentiment technical onchain causal &
  run "$seed" default without-technical sentiment onchain causal
  wait
  run "$seed" default without-onchain technical sentiment causal &
  run "$seed" default without-causal technical sentiment onchain
  wait
done
python3 docs/firm-evaluation-summary.py "$out" "${seeds[@]}"
