"""Golden k-means bins of scikit-learn 1.2.1 on integer-valued data (run with /usr/bin/python3, Debian bookworm's
python3-sklearn 1.2.1 / numpy 1.24.2, on 2 OpenMP threads as scikit-learn picks them on a 2-core machine).

  digits_kmeans_bins.json   54 pixel columns (values 0..16) of digits.csv: KBinsDiscretizer(n_bins=5, kmeans)
                            (the same call and columns as shared/golden/digits_kmeans_bins.json, which this reproduces)
  poisson_kmeans_bins.json  20,000 rows x 4 Poisson counts (poisson_counts.csv, written here): n_bins=6, kmeans

Integer data puts many points exactly midway between two centres; scikit-learn's rounding of ||c||^2 - 2xc decides
where they go, which the C# side must reproduce. Usage: /usr/bin/python3 make_kmeans_bins.py [--out DIR]
"""
import argparse, csv, json, os
import numpy as np
from sklearn.preprocessing import KBinsDiscretizer
from threadpoolctl import threadpool_limits

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument("--out", default=here)
out = parser.parse_args().out


def bins(X, n_bins, source, columns):
    call = f"KBinsDiscretizer(n_bins={n_bins}, encode='ordinal', strategy='kmeans', subsample=None).fit_transform(X[:, columns])  # scikit-learn 1.2.1, float64"
    kb = KBinsDiscretizer(n_bins=n_bins, encode="ordinal", strategy="kmeans", subsample=None)
    with threadpool_limits(limits=2, user_api="openmp"):
        B = kb.fit_transform(X)
    return {"source": source, "call": call, "columns": columns,
            "bin_edges": [e.tolist() for e in kb.bin_edges_], "bins": B.astype(int).tolist()}


with open(os.path.join(here, "digits.csv")) as f:
    rows = list(csv.reader(f))
header = rows[0]
# Pixel columns with more distinct values than bins (the others give fewer than 5 bins).
data = np.array([[float(v) for v in r] for r in rows[1:]])
columns = [c for i, c in enumerate(header[:-1]) if len(np.unique(data[:, i])) > 5]
X = data[:, [header.index(c) for c in columns]]
with open(os.path.join(out, "digits_kmeans_bins.json"), "w") as f:
    json.dump(bins(X, 5, "data/sklearn_digits/digits.csv (integer pixel values 0..16)", columns), f)

rng = np.random.RandomState(0)
Y = rng.poisson(lam=[3, 7, 12, 20], size=(20000, 4)).astype(float)
names = ["lam3", "lam7", "lam12", "lam20"]
with open(os.path.join(out, "poisson_counts.csv"), "w") as f:
    f.write(",".join(names) + "\n")
    for r in Y.astype(int):
        f.write(",".join(str(v) for v in r) + "\n")
with open(os.path.join(out, "poisson_kmeans_bins.json"), "w") as f:
    json.dump(bins(Y, 6, "poisson_counts.csv (numpy RandomState(0).poisson, lam 3/7/12/20)", names), f)
