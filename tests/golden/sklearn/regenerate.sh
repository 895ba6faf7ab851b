#!/usr/bin/env bash
# Regenerates every golden file of this folder from scikit-learn 1.2.1 (Debian bookworm):
#   apt-get install --no-install-recommends python3-sklearn python3-pandas python3-threadpoolctl
# make_datasets.py and fe_oracle.py are the project's peer-reference scripts (shared/peers), kept here so the
# files can be rebuilt and reviewed; verify_golden.py re-derives first5 etc. from the CSVs without scikit-learn.
set -euo pipefail
cd "$(dirname "$0")"
py=/usr/bin/python3
out=${1:-.}
$py make_datasets.py --outdir "$(cd "$out" && pwd)"
for d in iris wine breast_cancer diabetes_scaled; do
  $py fe_oracle.py "$out/$d.csv" --label target --name "$d" --out "$out/$d.json" >/dev/null
done
$py fe_oracle.py "$out/diabetes.csv" --label target --cat sex --name diabetes --out "$out/diabetes.json" >/dev/null
$py fe_oracle.py "$out/mixed_cat.csv" --label label --cat color,grade --name mixed_cat --out "$out/mixed_cat.json" >/dev/null
$py make_kmeans_bins.py --out "$out"   # digits and Poisson k-means bins (integer data)
$py verify_golden.py >/dev/null && echo "golden files regenerated in $out and self-checked"
