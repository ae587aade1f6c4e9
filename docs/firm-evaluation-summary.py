"""Summarises out/firm-evaluation (written by docs/firm-evaluation.sh) into the tables of docs/firm-evaluation.md."""
import csv, json, math, statistics, sys

out, seeds = sys.argv[1], sys.argv[2:]
variants = ["firm", "only-sentiment", "only-onchain", "only-technical", "only-causal",
            "without-sentiment", "without-onchain", "without-technical", "without-causal"]
import os

def report(seed, plant, variant):
    if not os.path.exists(f"{out}/seed-{seed}/{plant}/{variant}/report.json"):
        return {"sharpe": float("nan"), "volatility": float("nan")}
    with open(f"{out}/seed-{seed}/{plant}/{variant}/report.json") as f:
        return json.load(f)

def calibration(seed):
    with open(f"{out}/seed-{seed}/default/firm/calibration.csv") as f:
        rows = [r for r in csv.DictReader(f) if int(r["calls"]) >= 50]
    return max(abs(float(r["mean_confidence"]) - float(r["hit_rate"])) for r in rows), sum(int(r["calls"]) for r in rows)

print("| seed | " + " | ".join(variants) + " | firm vol | max |conf - hit| (bins >= 50 calls) | no-signal firm |")
print("|" + "---|" * (len(variants) + 4))
table = {v: [] for v in variants}
none, vols = [], []
for seed in seeds:
    row = [report(seed, "default", v)["sharpe"] for v in variants]
    for v, s in zip(variants, row): table[v].append(s)
    vol = report(seed, "default", "firm")["volatility"]
    vols.append(vol)
    gap, calls = calibration(seed)
    n = report(seed, "none", "firm")["sharpe"]
    none.append(n)
    print(f"| {seed} | " + " | ".join(f"{s:.2f}" for s in row) + f" | {vol:.3f} | {gap:.3f} ({calls} calls) | {n:.2f} |")
print("| median | " + " | ".join(f"{statistics.median(table[v]):.2f}" for v in variants) + f" | {statistics.median(vols):.3f} | | {statistics.median(none):.2f} |")
best_alone = [max(table[v][i] for v in variants if v.startswith("only-")) for i in range(len(seeds))]
print()
print(f"median of the best single analyst per seed: {statistics.median(best_alone):.2f}")
firm_wins = sum(f >= b for f, b in zip(table["firm"], best_alone))
print(f"firm at least the best single analyst on {firm_wins} of {len(seeds)} seeds")
print(f"no-signal firm: mean Sharpe {statistics.mean(none):.2f}, standard error {statistics.stdev(none) / math.sqrt(len(none)):.2f}")
for v in [v for v in variants if v.startswith("without-")]:
    d = [f - w for f, w in zip(table["firm"], table[v])]
    print(f"firm minus {v}: mean {statistics.mean(d):.2f}, standard error {statistics.stdev(d) / math.sqrt(len(d)):.2f}")
