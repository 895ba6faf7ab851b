#!/usr/bin/python3
"""smote_bench.py -- imbalanced-learn reference of Mlx's `resample` benchmark suite: SMOTE(k_neighbors=5) fit_resample on
--rows rows x 20 standard-normal features, 10 % minority (the minority shifted by 1 on every feature), the same data as
the C# side reads from --data (float32 binary: rows, then labels as int32). Prints JSON {"smote_seconds": median of --reps}.
Usage: /usr/bin/python3 smote_bench.py --data /tmp/x.bin --rows 100000 [--reps 5]
"""
import argparse
import json
import statistics
import time

import numpy as np
from imblearn.over_sampling import SMOTE


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    raw = np.fromfile(args.data, dtype=np.float32, count=args.rows * args.features)
    X = raw.reshape(args.rows, args.features)
    y = np.fromfile(args.data, dtype=np.int32, offset=4 * args.rows * args.features)
    times = []
    for _ in range(args.reps):
        start = time.perf_counter()
        SMOTE(k_neighbors=5, random_state=0).fit_resample(X, y)
        times.append(time.perf_counter() - start)
    print(json.dumps({"smote_seconds": statistics.median(times)}))


if __name__ == "__main__":
    main()
