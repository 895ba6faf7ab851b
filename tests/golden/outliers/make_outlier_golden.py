"""Reference intervals and removed rows for Mlx's FilterOutliers (outliers.json), on scikit-learn's breast cancer data
(tests/golden/sklearn/breast_cancer.csv, 569 x 30, values rounded to float32 as Mlx reads them).
/usr/bin/python3 make_outlier_golden.py

iqr: numpy's linear percentiles, [Q1 - 1.5 IQR, Q3 + 1.5 IQR]; zscore: scipy.stats.zscore (ddof 0) within 3;
mad: Iglewicz-Hoaglin modified z-score 0.6745 |x - median| / MAD within 3.5. A row is removed when any slot is outside.
"""
import json
import os
import numpy as np
from scipy import stats

here = os.path.dirname(os.path.abspath(__file__))
raw = np.genfromtxt(os.path.join(here, "..", "sklearn", "breast_cancer.csv"), delimiter=",", skip_header=1)
X = raw[:, :-1].astype(np.float32).astype(np.float64)

q1, q3 = np.percentile(X, 25, axis=0), np.percentile(X, 75, axis=0)
iqr_low, iqr_high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
mean, std = X.mean(0), X.std(0)
z_low, z_high = mean - 3 * std, mean + 3 * std
z_removed = np.flatnonzero((np.abs(stats.zscore(X, axis=0)) > 3).any(1))
median = np.median(X, axis=0)
mad = np.median(np.abs(X - median), axis=0)
mad_low, mad_high = median - 3.5 * mad / 0.6745, median + 3.5 * mad / 0.6745


def removed(low, high):
    return np.flatnonzero(((X < low) | (X > high)).any(1)).tolist()


golden = {
    "iqr": {"lower": iqr_low.tolist(), "upper": iqr_high.tolist(), "removed": removed(iqr_low, iqr_high)},
    "zscore": {"lower": z_low.tolist(), "upper": z_high.tolist(), "removed": z_removed.tolist()},
    "mad": {"lower": mad_low.tolist(), "upper": mad_high.tolist(), "removed": removed(mad_low, mad_high)},
}
with open(os.path.join(here, "outliers.json"), "w") as f:
    json.dump(golden, f)
print({k: len(v["removed"]) for k, v in golden.items()})
