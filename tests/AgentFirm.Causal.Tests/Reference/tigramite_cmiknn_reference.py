"""CMIknn estimates from tigramite for CmiKnnTests (run by hand, like tigramite_reference.py):

    python3 tigramite_cmiknn_reference.py OUTDIR

Writes OUTDIR/cmi.csv (columns x, y, z1, z2; 300 rows from numpy's generator, continuous so ranks have no ties)
and OUTDIR/cmi_tigramite.json with tigramite's CMIknn.get_dependence_measure for several conditionings and k.
numba only speeds tigramite up; a stand-in decorator is used when it is not installed.
"""
import json
import sys
import types

try:
    import numba  # noqa: F401
except ImportError:
    stub = types.ModuleType("numba")
    stub.jit = lambda *a, **k: (lambda f: f)
    sys.modules["numba"] = stub

import numpy as np
from tigramite.independence_tests.cmiknn import CMIknn

out = sys.argv[1]
rng = np.random.default_rng(11)
n = 300
z1 = rng.standard_normal(n)
z2 = rng.standard_normal(n)
x = np.tanh(z1) + 0.5 * rng.standard_normal(n)
y = z1 ** 2 + 0.3 * z2 + 0.5 * rng.standard_normal(n) + 0.4 * x
with open(f"{out}/cmi.csv", "w") as f:
    f.write("x,y,z1,z2\n")
    for row in zip(x, y, z1, z2):
        f.write(",".join(repr(float(v)) for v in row) + "\n")

cases = []
for knn in [0.05, 0.1, 0.2]:
    for conds in [[], ["z1"], ["z1", "z2"]]:
        cols = {"z1": z1, "z2": z2}
        array = np.vstack([x, y] + [cols[c] for c in conds])
        xyz = np.array([0, 1] + [2] * len(conds))
        test = CMIknn(knn=knn, transform="ranks")
        cases.append({"knn": knn, "z": conds, "value": float(test.get_dependence_measure(array, xyz))})
with open(f"{out}/cmi_tigramite.json", "w") as f:
    json.dump(cases, f, indent=1)
