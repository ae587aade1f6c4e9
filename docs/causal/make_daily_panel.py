"""Builds the daily panel that docs/causal-discovery.md analyses with `agentfirm causal` (standard library only).

    python3 docs/causal/make_daily_panel.py ../shared/data docs/causal/daily_panel.csv

Columns: for each asset its daily log return (`BTC`) and daily log volume change (`BTC_vol`), the change of the
fear & greed index (`fear_greed`) and the mean daily funding rate of the BTC perpetual (`funding`), on BTC-USDT's
UTC days. A value that does not exist (before an asset was listed, a day without an index value) is left empty;
`agentfirm causal` masks it per test instead of filling it.
"""
import csv
import math
import sys

ASSETS = ["BTC", "ETH", "BNB", "XRP", "ADA", "LTC", "SOL", "DOGE"]
VOLUMES = ["BTC", "ETH"]

root, out = sys.argv[1], sys.argv[2]


def read(path, column):
    with open(path, newline="") as f:
        return {row["timestamp"]: row[column] for row in csv.DictReader(f)}


def log_change(series, days):
    values = {}
    for prev, day in zip(days, days[1:]):
        a, b = series.get(prev, ""), series.get(day, "")
        values[day] = math.log(float(b) / float(a)) if a and b and float(a) > 0 and float(b) > 0 else None
    return values


days = sorted(read(f"{root}/ohlcv/1d/BTC-USDT.csv", "close"))
columns = {}
for asset in ASSETS:
    columns[asset] = log_change(read(f"{root}/ohlcv/1d/{asset}-USDT.csv", "close"), days)
for asset in VOLUMES:
    columns[f"{asset}_vol"] = log_change(read(f"{root}/ohlcv/1d/{asset}-USDT.csv", "volume"), days)
fear = read(f"{root}/onchain/fear_greed_index.csv", "fear_greed_value")
columns["fear_greed"] = {d: float(fear[d]) - float(fear[p]) if fear.get(d) and fear.get(p) else None for p, d in zip(days, days[1:])}
funding = read(f"{root}/onchain/btc_funding_rate_binance_perp_daily.csv", "funding_rate_daily_mean")
columns["funding"] = {d: float(funding[d]) if funding.get(d) else None for d in days}

with open(out, "w", newline="") as f:
    f.write("timestamp," + ",".join(columns) + "\n")
    for day in days[1:]:
        cells = ["" if columns[c].get(day) is None else repr(columns[c][day]) for c in columns]
        f.write(day + "," + ",".join(cells) + "\n")
