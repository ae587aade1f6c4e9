# Writes bench20.csv (a seeded 20-variable VAR, 3000 steps) and bench20_tigramite.json (tigramite's p_matrix,
# val_matrix and its wall time) into the folder given, for TigramiteReferenceTests' benchmark-sized comparison.
# The committed pair was made with tigramite 5.2.10.1 from source on Debian's python3-numpy 1.24.2, python3-scipy
# 1.10.1 and python3-joblib:  PYTHONPATH=<tigramite checkout> /usr/bin/python3 tigramite_bench.py <out folder>
import json, sys, time
import numpy as np
from tigramite import data_processing as pp
from tigramite.independence_tests.parcorr import ParCorr
from tigramite.pcmci import PCMCI
out = sys.argv[1]
rng = np.random.default_rng(7)
N, T = 20, 3000
links = []
for j in range(N):
    i = rng.integers(N - 1); i = i + 1 if i >= j else i
    links.append((int(i), j, int(rng.integers(1, 6)), float(rng.choice([-0.35, 0.35]))))
x = np.zeros((T + 100, N))
for t in range(6, T + 100):
    x[t] = 0.4 * x[t - 1] + rng.standard_normal(N)
    for (i, j, lag, c) in links:
        x[t, j] += c * x[t - lag, i]
x = x[100:]
names = [f"v{k}" for k in range(N)]
with open(f"{out}/bench20.csv", "w") as f:
    f.write(",".join(names) + "\n")
    for t in range(T):
        f.write(",".join(repr(float(v)) for v in x[t]) + "\n")
pcmci = PCMCI(dataframe=pp.DataFrame(x, var_names=names), cond_ind_test=ParCorr(significance="analytic"), verbosity=0)
start = time.perf_counter()
res = pcmci.run_pcmci(tau_min=1, tau_max=5, pc_alpha=0.2, alpha_level=0.01)
seconds = time.perf_counter() - start
json.dump({"seconds": seconds, "p_matrix": res["p_matrix"].tolist(), "val_matrix": res["val_matrix"].tolist()}, open(f"{out}/bench20_tigramite.json", "w"))
print("tigramite seconds", seconds)
