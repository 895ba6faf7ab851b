"""Reference for Mlx's SMOTE-NC (smotenc.json). /usr/bin/python3 make_smotenc_golden.py

240 rows: 3 continuous slots ~ N(class shift, 1) and 2 categorical slots (codes 0-2 and 0-3, class-dependent
frequencies), classes 180 / 60, float32. Written: the rows; each row's 5 nearest rows of its class under
imbalanced-learn 0.10's SMOTENC encoding (continuous slots, plus one-hot categories scaled by the median standard
deviation of the minority class's continuous slots / 2; sklearn NearestNeighbors, itself dropped); imbalanced-learn's
SMOTENC counts.
"""
import json
import os
import numpy as np
from sklearn.neighbors import NearestNeighbors
from imblearn.over_sampling import SMOTENC

rng = np.random.default_rng(11)
n0, n1 = 180, 60
y = np.array([0] * n0 + [1] * n1)
cont = rng.normal(size=(n0 + n1, 3)) + y[:, None] * 0.8
cat1 = np.where(y == 0, rng.choice(3, n0 + n1, p=[0.6, 0.3, 0.1]), rng.choice(3, n0 + n1, p=[0.2, 0.3, 0.5]))
cat2 = rng.choice(4, n0 + n1)
X = np.column_stack([cont[:, 0], cat1, cont[:, 1], cat2, cont[:, 2]]).astype(np.float32).astype(np.float64)
categorical = [1, 3]
continuous = [0, 2, 4]

median = np.median(np.std(X[y == 1][:, continuous], axis=0))
blocks = [X[:, continuous]]
for j in categorical:
    levels = np.unique(X[:, j])
    blocks.append((X[:, j][:, None] == levels[None, :]) * (median / 2))
encoded = np.hstack(blocks)
neighbors = [None] * len(y)
for c in [0, 1]:
    rows = np.flatnonzero(y == c)
    idx = NearestNeighbors(n_neighbors=6).fit(encoded[rows]).kneighbors(encoded[rows], return_distance=False)
    for i, r in enumerate(rows):
        neighbors[r] = [int(rows[j]) for j in idx[i] if j != i][:5]

_, ys = SMOTENC(categorical_features=categorical, k_neighbors=5, random_state=0).fit_resample(X, y)
golden = {"features": X.astype(np.float32).tolist(), "classes": y.tolist(), "categorical": categorical,
          "neighbors": neighbors, "counts": np.bincount(ys).tolist()}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "smotenc.json"), "w") as f:
    json.dump(golden, f)
print(golden["counts"], median)
