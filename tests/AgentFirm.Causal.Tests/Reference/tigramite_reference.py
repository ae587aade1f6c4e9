"""Makes the tigramite reference that TigramiteReferenceTests compares against (run by hand; tigramite is not a
dependency of the project). Usage, with tigramite 5.2 importable (e.g. PYTHONPATH=path/to/tigramite checkout):

    python3 tigramite_reference.py OUTDIR

Writes OUTDIR/var5.csv (5 variables, 500 steps), var5_missing.csv (the same with a few empty cells) and OUTDIR/var5_tigramite.json with
p_matrix, val_matrix and graph of several runs. Data come from numpy's seeded generator, not from our code.
"""
import json
import sys

import numpy as np
from tigramite import data_processing as pp
from tigramite.independence_tests.parcorr import ParCorr
from tigramite.pcmci import PCMCI

out = sys.argv[1]
rng = np.random.default_rng(2024)
T, N = 500, 5
x = np.zeros((T + 100, N))
for t in range(2, T + 100):
    e = rng.standard_normal(N)
    x[t, 0] = 0.5 * x[t - 1, 0] + e[0]
    x[t, 1] = 0.4 * x[t - 1, 1] + 0.5 * x[t - 2, 0] + e[1]
    x[t, 2] = 0.3 * x[t - 1, 2] - 0.4 * x[t - 1, 1] + e[2]
    x[t, 3] = 0.6 * x[t, 2] + 0.2 * x[t - 1, 3] + e[3]          # contemporaneous 2 -> 3
    x[t, 4] = 0.5 * x[t - 1, 4] + e[4]
x = x[100:]
missing = x.copy()
for (t, v) in [(37, 1), (120, 0), (121, 3), (300, 2), (301, 2), (450, 4)]:
    missing[t, v] = np.nan

names = [f"v{k}" for k in range(N)]
for name, values in [("var5.csv", x), ("var5_missing.csv", missing)]:
    with open(f"{out}/{name}", "w") as f:
        f.write("date," + ",".join(names) + "\n")
        for t in range(T):
            cells = ["" if np.isnan(v) else repr(float(v)) for v in values[t]]
            f.write(f"2024-01-{t % 28 + 1:02d}," + ",".join(cells) + "\n")


def run(data, method, **kwargs):
    # tigramite refuses NaN in the input: missing cells go in as the flag, which it turns into NaN and masks
    frame = pp.DataFrame(np.where(np.isnan(data), 999., data), var_names=names, missing_flag=999.)
    pcmci = PCMCI(dataframe=frame, cond_ind_test=ParCorr(significance="analytic"), verbosity=0)
    res = getattr(pcmci, method)(**kwargs)
    return {
        "method": method,
        "args": {k: v for k, v in kwargs.items()},
        "p_matrix": np.nan_to_num(res["p_matrix"], nan=-1.0).tolist(),
        "val_matrix": np.nan_to_num(res["val_matrix"], nan=-1.0).tolist(),
        "graph": res["graph"].tolist(),
    }


cases = {
    "pcmci_fixed": run(x, "run_pcmci", tau_min=1, tau_max=3, pc_alpha=0.2, alpha_level=0.01),
    "pcmci_auto_fdr_masked": run(missing, "run_pcmci", tau_min=1, tau_max=3, pc_alpha=None, alpha_level=0.01, fdr_method="fdr_bh"),
    "pcmci_contemporaneous": run(x, "run_pcmci", tau_min=0, tau_max=2, pc_alpha=0.1, alpha_level=0.01),
    "pcmciplus": run(x, "run_pcmciplus", tau_min=0, tau_max=2, pc_alpha=0.01),
    "pcmciplus_masked": run(missing, "run_pcmciplus", tau_min=0, tau_max=2, pc_alpha=0.05),
    "pcmci_tau_min2_fdr": run(x, "run_pcmci", tau_min=2, tau_max=4, pc_alpha=0.3, alpha_level=0.05, fdr_method="fdr_bh"),
    "pcmciplus_fdr": run(x, "run_pcmciplus", tau_min=0, tau_max=2, pc_alpha=0.1, fdr_method="fdr_bh"),
    "pcmciplus_auto": run(x, "run_pcmciplus", tau_min=0, tau_max=2, pc_alpha=None),
}
with open(f"{out}/var5_tigramite.json", "w") as f:
    json.dump(cases, f)
