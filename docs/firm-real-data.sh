#!/usr/bin/env bash
# Reproduces the real-data table in docs/firm-evaluation.md: `evaluate` on the shared daily BTC-USDT + ETH-USDT,
# 2018-01-01 to 2024-06-30 (warm-up on what exists before), default costs. Writes out/firm-real-data/.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${AGENTFIRM_SHARED_DATA:-../shared/data}
dotnet build src/AgentFirm.Host -c Release -m:2 -v q >/dev/null
# The strategic agent's HMM schedule in daily bars (its defaults are sized for hourly bars).
export AgentFirm__Strategic__MinimumHistory=120 AgentFirm__Strategic__RefitEvery=60 AgentFirm__Strategic__FitWindow=0
dotnet src/AgentFirm.Host/bin/Release/net10.0/agentfirm.dll evaluate --data "$data/ohlcv" --symbols BTC-USDT,ETH-USDT --timeframe 1d \
  --from 2018-01-01 --to 2024-06-30 --warmup 200d --out out/firm-real-data/daily --force
# Hourly: the HMM keeps its hourly defaults; 3000 hours of warm-up (what the data holds before 2018) so the
# firm has seen its analysts' calls resolve before the scored span starts.
unset AgentFirm__Strategic__MinimumHistory AgentFirm__Strategic__RefitEvery AgentFirm__Strategic__FitWindow
dotnet src/AgentFirm.Host/bin/Release/net10.0/agentfirm.dll evaluate --data "$data/ohlcv" --symbols BTC-USDT,ETH-USDT --timeframe 1h \
  --from 2018-01-01 --to 2024-06-30 --warmup 3000h --out out/firm-real-data/hourly --force
