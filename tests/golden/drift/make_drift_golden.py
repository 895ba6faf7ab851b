"""Reference drift statistics for Mlx's FeatureProfile.Compare (drift.json). /usr/bin/python3 make_drift_golden.py

Reference data: 2,000 rows x 3 slots (float32): N(0,1); uniform(0, 10); N(5, 2) with 5 % NaN. Current data: 1,500 rows:
N(0.3, 1.2) (drifted); uniform(0, 10) (same); N(5, 2) with 20 % NaN. Per slot: scipy.stats.ks_2samp(method="asymp")
(statistic, p-value) on the non-missing values; bins cut at the reference's deciles (numpy linear quantiles, duplicates
dropped; bin b holds edges[b-1] < x <= edges[b]); the p-value of Kolmogorov's limiting distribution (see below); PSI = sum((a - e) ln(a / e)) with shares floored at 1e-4; Jensen-Shannon
distance scipy.spatial.distance.jensenshannon (natural log); missing rates.
"""
import json
import os
import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

rng = np.random.default_rng(0)
ref = np.stack([rng.normal(0, 1, 2000), rng.uniform(0, 10, 2000), rng.normal(5, 2, 2000)], 1).astype(np.float32)
ref[rng.random(2000) < 0.05, 2] = np.nan
cur = np.stack([rng.normal(0.3, 1.2, 1500), rng.uniform(0, 10, 1500), rng.normal(5, 2, 1500)], 1).astype(np.float32)
cur[rng.random(1500) < 0.2, 2] = np.nan

slots = []
for j in range(3):
    a = np.sort(ref[~np.isnan(ref[:, j]), j].astype(np.float64))
    b = np.sort(cur[~np.isnan(cur[:, j]), j].astype(np.float64))
    ks = stats.ks_2samp(a, b, method="asymp")
    edges = np.unique(np.quantile(a, np.arange(1, 10) / 10))
    e = np.bincount(np.searchsorted(edges, a, side="left"), minlength=len(edges) + 1) / len(a)
    c = np.bincount(np.searchsorted(edges, b, side="left"), minlength=len(edges) + 1) / len(b)
    psi = float(np.sum((np.maximum(c, 1e-4) - np.maximum(e, 1e-4)) * np.log(np.maximum(c, 1e-4) / np.maximum(e, 1e-4))))
    # Mlx's p-value: Kolmogorov's limiting distribution at sqrt(nm/(n+m)) D (R's ks.test for large samples; scipy's
    # method="asymp" before 1.5). scipy 1.10's "asymp" evaluates kstwo with n = round(nm/(n+m)) instead: kept as "p_scipy".
    p_limit = stats.kstwobign.sf(np.sqrt(len(a) * len(b) / (len(a) + len(b))) * ks.statistic)
    slots.append({"ks": float(ks.statistic), "p": float(p_limit), "p_scipy": float(ks.pvalue), "psi": psi, "js": float(jensenshannon(e, c)),
                  "edges": edges.tolist(), "reference_missing": float(np.isnan(ref[:, j]).mean()), "current_missing": float(np.isnan(cur[:, j]).mean())})

golden = {"reference": np.where(np.isnan(ref), None, ref).tolist(), "current": np.where(np.isnan(cur), None, cur).tolist(), "slots": slots}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "drift.json"), "w") as f:
    json.dump(golden, f)
print([(round(s["ks"], 4), s["p"], round(s["psi"], 4), round(s["js"], 4)) for s in slots])
