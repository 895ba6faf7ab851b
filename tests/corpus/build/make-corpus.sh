#!/usr/bin/env bash
# Rebuilds tests/corpus/data/*.csv from Debian 12 packages: apt-get download (no installation), dpkg-deb -x, then
# Weka's ARFF files through arff_to_csv.py and the R data sets through extract.R. Needs python3 and Rscript
# (apt-get install --no-install-recommends r-base-core); not needed by Mlx, the tests or the benchmarks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
apt-get download weka=3.6.14-3 r-cran-mlbench=2.1-3-1 r-cran-modeldata=1.1.0-1
for f in *.deb; do dpkg-deb -x "$f" root; done
python3 "$here/arff_to_csv.py" root/usr/share/doc/weka/examples "$out"
Rscript "$here/extract.R" root/usr/lib/R/site-library "$out"
