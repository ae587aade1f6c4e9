#!/usr/bin/env bash
# Reproduces the overshoot table in docs/risk-limits.md: the firm with a compromised mind (a loopback
# OpenAI-compatible stub that answers "fully long, full confidence" for every asset, every day) on the shared
# daily BTC-USDT + ETH-USDT, once with the 1h bars inside each day (--intrabar auto) and once with daily bars
# only (--intrabar none), from the start of several years to 2024-06-30. Writes out/risk-limits/.
# AGENTFIRM overrides the command (default: the Release build of src/AgentFirm.Host).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${AGENTFIRM_SHARED_DATA:-../shared/data}
out=out/risk-limits
port=${STUB_PORT:-18917}
if [[ -z "${AGENTFIRM:-}" ]]; then
  dotnet build src/AgentFirm.Host -c Release -m:2 -v q >/dev/null
  AGENTFIRM="dotnet src/AgentFirm.Host/bin/Release/net10.0/agentfirm.dll"
fi
mkdir -p "$out"
python3 docs/risk-limits-mind-stub.py "$port" BTC-USDT,ETH-USDT &
stub=$!
trap 'kill $stub' EXIT
sleep 1
# The compromised mind: the real OpenAI client against the stub, allowed to override the quant decision
# completely (MaxDeviation 2), and a reckless sizing (500% volatility target) so "all in" reaches the risk
# agent at full size: only its limits stand between the mind and the book.
export AgentFirm__Llm__Mind=OpenAI AgentFirm__Llm__Endpoint="http://127.0.0.1:$port/v1" AgentFirm__Llm__Model=stub-model \
  AgentFirm__Llm__ApiKey=sk-stub-not-a-key AgentFirm__Llm__MaxDeviation=2 AgentFirm__Llm__Anonymise=false \
  AgentFirm__Tactical__TargetVolatility=5
# The strategic agent's HMM schedule in daily bars (as in docs/firm-real-data.sh).
export AgentFirm__Strategic__MinimumHistory=120 AgentFirm__Strategic__RefitEvery=60 AgentFirm__Strategic__FitWindow=0
for from in 2018-01-01 2019-01-01 2020-01-01 2021-01-01 2022-01-01; do
  for intrabar in auto none; do
    $AGENTFIRM backtest --strategy firm --data "$data/ohlcv" --symbols BTC-USDT,ETH-USDT --timeframe 1d \
      --from "$from" --to 2024-06-30 --warmup 200d --intrabar "$intrabar" --out "$out/$from-$intrabar" --force \
      > "$out/$from-$intrabar.txt"
  done
done
python3 - "$out" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
rows = ["| from | data | halted at | drawdown worst | past 15 % limit | when seen | after seen (latency) | why | daily loss worst | past 5 % limit | why | risk actions between decisions |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|"]
for run in sorted(p for p in out.iterdir() if p.is_dir()):
    r = json.loads((run / "report.json").read_text())
    l = r["limits"]; dd = l["max_drawdown"]; dl = l["daily_loss"]
    halt = (r.get("halt") or {}).get("time", "-")
    data = "daily + 1h" if run.name.endswith("auto") else "daily only"
    pct = lambda x: f"{100 * x:.2f} %"
    rows.append(f"| {run.name[:10]} | {data} | {str(halt)[:16]} | {pct(dd['worst'])} | {pct(dd['overshoot'])} | {pct(dd['past_limit_when_seen'])} | {pct(dd['after_seen'])} | {dd['why']} | "
                f"{pct(dl['worst'])} | {pct(dl['overshoot'])} | {dl['why']} | {l['risk_actions_between_decisions']} |")
(out / "overshoot.md").write_text("\n".join(rows) + "\n")
print("\n".join(rows))
PY
