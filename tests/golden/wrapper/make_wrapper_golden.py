"""scikit-learn's SequentialFeatureSelector on a regression with known informative slots, for Mlx's wrapper selection
(wrapper.json). /usr/bin/python3 make_wrapper_golden.py

300 rows x 8 slots ~ N(0, 1) (float32); y = 2 x0 - 1.5 x2 + x4 + 0.8 x6 + N(0, 0.5); folds 0..4 drawn once and saved, used by
both sides (sklearn's PredefinedSplit, Mlx's foldColumnName). SequentialFeatureSelector(LinearRegression,
n_features_to_select k, direction forward/backward, scoring neg_mean_absolute_error) for k = 2, 3, 4.
"""
import json
import os
import numpy as np
from sklearn.feature_selection import SequentialFeatureSelector
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import PredefinedSplit

rng = np.random.default_rng(3)
X = rng.normal(size=(300, 8)).astype(np.float32)
y = (2 * X[:, 0] - 1.5 * X[:, 2] + X[:, 4] + 0.8 * X[:, 6] + rng.normal(0, 0.5, 300)).astype(np.float32)
folds = rng.permutation(np.arange(300) % 5)
cv = PredefinedSplit(folds)
selections = {}
for direction in ["forward", "backward"]:
    for k in [2, 3, 4]:
        sfs = SequentialFeatureSelector(LinearRegression(), n_features_to_select=k, direction=direction,
                                        scoring="neg_mean_absolute_error", cv=cv).fit(X.astype(np.float64), y.astype(np.float64))
        selections[f"{direction}_{k}"] = np.flatnonzero(sfs.get_support()).tolist()
golden = {"features": X.tolist(), "label": y.tolist(), "folds": folds.tolist(), "selections": selections}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrapper.json"), "w") as f:
    json.dump(golden, f)
print(selections)
