"""Reference values for Mlx's resampling (imbalance.json). Run with Debian's python3-sklearn and python3-imblearn (0.10):
/usr/bin/python3 make_imbalance_golden.py

Data: scikit-learn's wine (59 / 71 / 48 rows; tests/golden/sklearn/wine.csv), standardised and rounded to float32 (the
values Mlx reads). Written: the features and classes; each row's 5 nearest rows of its class (sklearn
NearestNeighbors(6).kneighbors, itself dropped), as global row indices; the class counts imbalanced-learn's SMOTE,
RandomOverSampler and RandomUnderSampler produce (sampling_strategy 'auto'); the rows TomekLinks keeps of breast cancer (standardised float32; its classes overlap); whether every SMOTE point of imblearn lies on
a segment between a row and one of those neighbours (the property Mlx's test checks on its own points); and
compute_class_weight('balanced').
"""
import json
import os
import numpy as np
from sklearn.neighbors import NearestNeighbors
from sklearn.utils.class_weight import compute_class_weight
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler, TomekLinks

here = os.path.dirname(os.path.abspath(__file__))
raw = np.genfromtxt(os.path.join(here, "..", "sklearn", "wine.csv"), delimiter=",", skip_header=1)
X = raw[:, :-1]
y = raw[:, -1].astype(int)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32).astype(np.float64)

neighbors = [None] * len(y)
for c in np.unique(y):
    rows = np.flatnonzero(y == c)
    nn = NearestNeighbors(n_neighbors=6).fit(X[rows])
    idx = nn.kneighbors(X[rows], return_distance=False)
    for i, r in enumerate(rows):
        near = [int(rows[j]) for j in idx[i] if j != i][:5]
        neighbors[r] = near

Xs, ys = SMOTE(k_neighbors=5, random_state=0).fit_resample(X, y)
on_segment = True
for p, c in zip(Xs[len(y):], ys[len(y):]):
    found = False
    for r in np.flatnonzero(y == c):
        for n in neighbors[r]:
            d = X[n] - X[r]
            t = np.dot(p - X[r], d) / np.dot(d, d)
            if -1e-9 <= t <= 1 + 1e-9 and np.allclose(X[r] + t * d, p, atol=1e-9):
                found = True
                break
        if found:
            break
    on_segment &= found

_, yo = RandomOverSampler(random_state=0).fit_resample(X, y)
_, yu = RandomUnderSampler(random_state=0).fit_resample(X, y)
# Tomek links on breast cancer (classes overlap, unlike wine's), standardised float32 as well.
bc = np.genfromtxt(os.path.join(here, "..", "sklearn", "breast_cancer.csv"), delimiter=",", skip_header=1)
Xb = ((bc[:, :-1] - bc[:, :-1].mean(0)) / bc[:, :-1].std(0)).astype(np.float32).astype(np.float64)
yb = bc[:, -1].astype(int)
tomek = TomekLinks()
tomek.fit_resample(Xb, yb)
tomek_kept = tomek.sample_indices_.tolist()
golden = {
    "features": X.astype(np.float32).tolist(),
    "classes": y.tolist(),
    "neighbors": neighbors,
    "smote_counts": np.bincount(ys).tolist(),
    "smote_points_on_segments": bool(on_segment),
    "random_over_counts": np.bincount(yo).tolist(),
    "random_under_counts": np.bincount(yu).tolist(),
    "tomek_features": Xb.astype(np.float32).tolist(),
    "tomek_classes": yb.tolist(),
    "tomek_kept": tomek_kept,
    "balanced_weights": compute_class_weight("balanced", classes=np.unique(y), y=y).tolist(),
}
with open(os.path.join(here, "imbalance.json"), "w") as f:
    json.dump(golden, f)
print(golden["smote_counts"], golden["random_over_counts"], golden["random_under_counts"], golden["balanced_weights"], on_segment)
