#!/usr/bin/env bash
# Reproduces the tables in docs/execution.md. Writes out/execution/.
#  1. trains the RL execution agent (PPO) on simulated minute bars, seeds 1-4, picking its iteration on seeds 51-52;
#  2. works the same parent orders with market, TWAP, VWAP, limit-peg and the RL policy on ten held-out simulated
#     seeds (101-110, minute sub-steps, one-hour parents every two hours) and on the shared hourly BTC-USDT and
#     ETH-USDT (hourly sub-steps, one-day parents every day, 2023-01-01 to 2024-06-30);
#  3. runs the firm on a simulated market (seed 4001, hourly bars, daily decisions worked on the hours inside them)
#     with the naive execution and with the chosen one (twice: default urgency, and patient), and compares Sharpe
#     after costs, and the implementation shortfall of the firm's own parent orders per algorithm (parents.csv).
# FIRM_ONLY=1 runs only part 3.
# AGENTFIRM overrides the command (default: the Release build of src/AgentFirm.Host).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${AGENTFIRM_SHARED_DATA:-../shared/data}
out=out/execution
if [[ -z "${AGENTFIRM:-}" ]]; then
  dotnet build src/AgentFirm.Host -c Release -m:2 -v q >/dev/null
  AGENTFIRM="dotnet src/AgentFirm.Host/bin/Release/net10.0/agentfirm.dll"
fi
mkdir -p "$out"
af() { $AGENTFIRM "$@"; }

# 1. The RL agent (CPU unless a CUDA libtorch is installed).
if [[ -z "${FIRM_ONLY:-}" ]]; then
af execution train --seeds 1-4 --validation-seeds 51-52 --days 10 --iterations 30 --seed 7 --device "${DEVICE:-auto}" --out "$out/rl-policy.bin" | tee "$out/train.txt"

# 2. Implementation shortfall per algorithm.
af execution compare --seeds 101-110 --days 10 --horizon 1h --every 2h --participation 0.05 \
  --rl-model "$out/rl-policy.bin" --out "$out/simulated.csv" > "$out/simulated.md"
for symbol in BTC-USDT ETH-USDT; do
  af execution compare --data "$data/ohlcv" --symbol "$symbol" --timeframe 1h --horizon 1d --every 1d --participation 0.05 \
    --from 2023-01-01 --to 2024-06-30 --rl-model "$out/rl-policy.bin" --out "$out/hourly-$symbol.csv" > "$out/hourly-$symbol.md"
done
fi

# 3. The firm, naive vs chosen execution, on one simulated market with hourly bars inside daily decisions.
market=$out/firm-market
if [[ ! -f "$market/ohlcv/1d/BTC-USDT.csv" ]]; then
  af simulate --seed 4001 --days 930 --timeframe 1h --symbols BTC-USDT,ETH-USDT --out "$market" --force > /dev/null
  python3 - "$market/ohlcv" <<'PY'
import csv, sys, pathlib
root = pathlib.Path(sys.argv[1])
(root / "1d").mkdir(exist_ok=True)
for f in sorted((root / "1h").glob("*.csv")):
    days = {}
    with f.open() as fh:
        for r in csv.DictReader(fh):
            d = r["timestamp"][:10]
            o, h, l, c, v = (float(r[k]) for k in ("open", "high", "low", "close", "volume"))
            if d not in days: days[d] = [o, h, l, c, v]
            else:
                x = days[d]; x[1] = max(x[1], h); x[2] = min(x[2], l); x[3] = c; x[4] += v
    with (root / "1d" / f.name).open("w") as fh:
        fh.write("timestamp,open,high,low,close,volume\n")
        for d, (o, h, l, c, v) in days.items():
            fh.write(f"{d}T00:00:00Z,{o!r},{h!r},{l!r},{c!r},{v!r}\n")
PY
fi
export AgentFirm__Strategic__MinimumHistory=120 AgentFirm__Strategic__RefitEvery=60 AgentFirm__Strategic__FitWindow=0
# chosen: the planner as configured by default (calls shorter than five bars are urgent: market); chosen-patient: no
# call is urgent (UrgentHorizonBars 0), so new exposure is worked as VWAP over the decision bar's hours (profile from
# the hourly bars of the 20 days before); chosen-patient-twap: the same as TWAP (Planner:UseVwap false); naive-vpin:
# the naive execution with the risk agent's VPIN toxicity rule on (its defaults, on the daily decision bars).
for mode in naive chosen chosen-patient chosen-patient-twap naive-vpin; do
  case $mode in
    naive) settings=(AgentFirm__Execution__Mode=naive) ;;
    chosen) settings=(AgentFirm__Execution__Mode=chosen) ;;
    chosen-patient) settings=(AgentFirm__Execution__Mode=chosen AgentFirm__Execution__Planner__UrgentHorizonBars=0) ;;
    chosen-patient-twap) settings=(AgentFirm__Execution__Mode=chosen AgentFirm__Execution__Planner__UrgentHorizonBars=0 AgentFirm__Execution__Planner__UseVwap=false) ;;
    naive-vpin) settings=(AgentFirm__Execution__Mode=naive AgentFirm__Execution__Toxicity__Enabled=true) ;;
  esac
  env "${settings[@]}" $AGENTFIRM backtest --strategy firm --data "$market/ohlcv" --symbols BTC-USDT,ETH-USDT --timeframe 1d \
    --from 2020-07-19 --warmup 200d --intrabar auto --out "$out/firm-$mode" --force > "$out/firm-$mode.txt" 2>&1 &
  if [[ $mode == chosen || $mode == chosen-patient-twap ]]; then wait; fi # two at a time on two cores
done
wait
python3 - "$out" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
rows = ["| execution | Sharpe | total return | fees paid | slippage paid | fills | turnover (x/yr) | max drawdown |", "|---|---|---|---|---|---|---|---|"]
for mode in ("naive", "chosen", "chosen-patient", "chosen-patient-twap", "naive-vpin"):
    r = json.loads((out / f"firm-{mode}" / "report.json").read_text())
    rows.append(f"| {mode} | {r['sharpe']:.3f} | {100 * r['total_return']:.2f} % | {r['fees_paid']:,.0f} | {r['slippage_paid']:,.0f} | {r['fills']} | {r['turnover']:.2f} | {100 * r['max_drawdown']:.2f} % |")
rows += ["", "| execution | algorithm | parents | filled | shortfall (bp of notional) | mean arrival shortfall (bp) | cost |", "|---|---|---|---|---|---|---|"]
for mode in ("naive", "chosen", "chosen-patient", "chosen-patient-twap", "naive-vpin"):
    r = json.loads((out / f"firm-{mode}" / "report.json").read_text())
    for a in r["execution"]["by_algorithm"]:
        rows.append(f"| {mode} | {a['algorithm']} | {a['parents']} | {100 * a['filled_share']:.1f} % | {a['notional_weighted_shortfall_bps']:.2f} | {a['mean_arrival_shortfall_bps']:.2f} | {a['total_cost']:,.0f} |")
(out / "firm.md").write_text("\n".join(rows) + "\n")
print("\n".join(rows))
PY
[[ -n "${FIRM_ONLY:-}" ]] || for f in simulated hourly-BTC-USDT hourly-ETH-USDT; do echo "== $f"; cat "$out/$f.md"; done
