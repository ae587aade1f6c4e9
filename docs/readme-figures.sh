#!/usr/bin/env bash
# Regenerates every figure README.md quotes beside a command, by running that command as the README prints it,
# and prints each figure under the README passage it belongs to. Outputs go to out/readme-figures/ instead of
# out/ (so runs of your own under out/ are neither replaced nor needed), nothing else changes.
# The README test (tests/AgentFirm.Host.Tests/Cli/ReadmeTests.cs) checks the same figures on every test run.
# Not regenerated here: the benchmark table (machine- and load-dependent; run
# `dotnet run -c Release --project bench/AgentFirm.Bench -- NAME` for each row) and the figures the README
# attributes to docs/*.md, which have their own scripts.
# Usage: docs/readme-figures.sh   (needs ../shared/data beside the checkout; about two minutes on two cores)
#        AGENTFIRM=path/to/agentfirm docs/readme-figures.sh   (use an executable already built)
set -euo pipefail
cd "$(dirname "$0")/.."
out=out/readme-figures
rm -rf "$out"
mkdir -p "$out"
if [ -n "${AGENTFIRM:-}" ]; then
  af() { "$AGENTFIRM" "$@"; }
else
  dotnet build src/AgentFirm.Host -c Release -m:2 -v q >/dev/null
  af() { dotnet src/AgentFirm.Host/bin/Release/net10.0/agentfirm.dll "$@"; }
fi
# The rows of a backtest's summary table that the README quotes.
rows() { grep -E "│ ($1) +│" | tr -s ' '; }
# A number from a JSON file, to three decimals (the README's sentiment table).
json3() { grep -m1 "\"$2\":" "$1" | sed -E 's/.*: *([-0-9.eE]+).*/\1/' | awk '{ printf "%.3f", $1 }'; }

echo "## The two commands: the live firm's first fill (--speed 200 --steps 720, seed 42)"
AgentFirm__DataFolder="$out/data" af --speed 200 --steps 720 --seed 42 --urls http://127.0.0.1:0 2>/dev/null | grep 'first fill'

echo "## backtest: sma-cross(20,50) on the shared daily data"
af backtest --data ../shared/data/ohlcv --symbols BTC-USDT,ETH-USDT --timeframe 1d \
    --from 2018-01-01 --to 2024-06-30 --strategy sma-cross --param fast=20 --param slow=50 \
    --fee-bps 10 --slippage-bps 2 --out "$out/btc-eth-sma" 2>/dev/null | rows 'metric|total return|Sharpe|max drawdown|fees paid|slippage paid'

echo "## simulate: momentum on a simulated hourly year"
af simulate --seed 42 --days 365 --timeframe 1h --symbols BTC-USDT,ETH-USDT --out "$out/sim" >/dev/null 2>&1
af backtest --data "$out/sim/ohlcv" --symbols BTC-USDT,ETH-USDT --timeframe 1h --strategy momentum --out "$out/sim-momentum" 2>/dev/null \
  | rows 'metric|total return|turnover \(x/yr\)|fees paid'

echo "## stats: the deflated Sharpe paper's worked example (DSR)"
af stats sharpe --sr 0.158 --periods 1250 --skew -3 --kurtosis 10 --trials 100 --trials-sr-variance 0.002 \
  | sed -E 's/.*"dsr":([-0-9.eE]+).*/dsr \1/' | awk '{ printf "%s %.2f\n", $1, $2 }'

echo "## features: column counts (timestamp excluded)"
af features --data ../shared/data/ohlcv/1h/BTC-USDT.csv --set core --out "$out/features.csv" >/dev/null 2>&1
af features --data ../shared/data/ohlcv/1h/BTC-USDT.csv --set all --zscore 500 --out "$out/features-all.csv" >/dev/null 2>&1
echo "core $(( $(head -1 "$out/features.csv" | tr ',' '\n' | wc -l) - 1 )), all $(( $(head -1 "$out/features-all.csv" | tr ',' '\n' | wc -l) - 1 ))"

echo "## validate: LightGBM's and buy-and-hold's out-of-sample Sharpe (a year)"
af validate --model ridge --data ../shared/data/ohlcv --symbols BTC-USDT --timeframe 1d \
    --label direction:1 --cv walkforward --folds 5 --grid model=ridge,lightgbm,dlinear --out "$out/validate-btc" 2>/dev/null \
  | grep -E '^(model=lightgbm|buy-and-hold)'

echo "## sentiment: held-out accuracy and macro-F1"
af sentiment train --data ../shared/data/text/financial_phrasebank.csv \
    --data ../shared/data/text/twitter_financial_news_sentiment.csv --holdout 0.2 --seed 1 --out "$out/models/sentiment" >/dev/null 2>&1
for model in "trained:$out/models/sentiment" lexicon; do
  name=${model%%:*}
  af sentiment eval --input ../shared/data/text/financial_phrasebank.csv \
      --input ../shared/data/text/twitter_financial_news_sentiment.csv --holdout 0.2 --seed 1 --model "$model" \
      --out "$out/sentiment-$name.json" >/dev/null 2>&1
  echo "$name: texts $(grep -m1 '"count":' "$out/sentiment-$name.json" | tr -dc '0-9'), accuracy $(json3 "$out/sentiment-$name.json" accuracy), macro-F1 $(json3 "$out/sentiment-$name.json" macro_f1), majority class $(json3 "$out/sentiment-$name.json" majority_share)"
done
