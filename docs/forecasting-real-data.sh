#!/usr/bin/env bash
# Reproduces docs/forecasting-real-data.md: walk-forward out-of-sample scores of every forecaster on the shared
# BTC-USDT and ETH-USDT bars (../shared/data), with buy-and-hold, persistence, the PBO and the deflated Sharpe.
# Usage: docs/forecasting-real-data.sh [OUT_DIR]   (from the repository root; about 20-40 min on 2 busy cores)
set -euo pipefail
out=${1:-out/forecasting-real-data}
data=../shared/data/ohlcv
dotnet build src/AgentFirm.Host/AgentFirm.Host.csproj -c Release -m:1 -v:q
af="dotnet src/AgentFirm.Host/bin/Release/net10.0/agentfirm.dll"
for sym in BTC-USDT ETH-USDT; do
  # Daily: every model, next-day direction, 5 walk-forward folds (expanding window), 10 bp per unit of turnover.
  $af validate --model ridge --data "$data" --symbols "$sym" --timeframe 1d --label direction:1 --cv walkforward --folds 5 \
    --grid model=ridge,lightgbm,lstm,gru,dlinear,nlinear,patchtst --epochs 20 --lookback 32 --device cpu \
    --cost-bps 10 --out "$out/$sym-1d"
  # Hourly: next-day (24 h) direction; the cheap models only on 2 cores (the recurrent and PatchTST fits on
  # 60,000 hourly rows x 5 folds take hours here), deep ones at 3 epochs.
  $af validate --model ridge --data "$data" --symbols "$sym" --timeframe 1h --label direction:24 --cv walkforward --folds 5 \
    --grid model=ridge,lightgbm,dlinear,nlinear --epochs 3 --lookback 32 --device cpu \
    --cost-bps 10 --out "$out/$sym-1h"
done
