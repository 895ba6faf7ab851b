#!/usr/bin/env python3
"""Golden output of scikit-learn's OneHotEncoder with infrequent categories grouped (issue 23: rare levels).

German credit's `purpose` column (examples/data/german_credit/credit_g.csv): fitted on the first 800 rows with
min_frequency=15 (a count) and handle_unknown='infrequent_if_exist', dense output; the last 200 rows and two unseen
values are transformed. Writes onehot_infrequent.json next to this script. Run from the repository root:
    /usr/bin/python3 tests/golden/sklearn/make_onehot_infrequent.py
"""
import csv
import json
import os

import sklearn
from sklearn.preprocessing import OneHotEncoder

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

with open(os.path.join(ROOT, "examples", "data", "german_credit", "credit_g.csv"), newline="") as f:
    rows = list(csv.DictReader(f))
purpose = [[r["purpose"]] for r in rows]
train, test = purpose[:800], purpose[800:] + [["space travel"], ["time machine"]]
encoder = OneHotEncoder(min_frequency=15, handle_unknown="infrequent_if_exist", sparse_output=False).fit(train)
out = encoder.transform(test)
golden = {
    "sklearn": sklearn.__version__,
    "min_frequency": 15,
    "categories": [str(c) for c in encoder.categories_[0]],
    "infrequent": [str(c) for c in encoder.infrequent_categories_[0]],
    "feature_names_out": [str(n) for n in encoder.get_feature_names_out(["purpose"])],
    "test_values": [t[0] for t in test],
    "test_encoded": out.astype(int).tolist(),
}
with open(os.path.join(HERE, "onehot_infrequent.json"), "w") as f:
    json.dump(golden, f, indent=1)
print(golden["feature_names_out"], golden["infrequent"])
