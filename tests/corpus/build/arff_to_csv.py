#!/usr/bin/env python3
"""Converts Weka's example ARFF files (Debian package weka 3.6.14-3, /usr/share/doc/weka/examples) to CSV.

Usage: arff_to_csv.py <examples folder> <output folder>
Only the standard library: ARFF's '?' becomes an empty field (missing), quoted strings keep their text, and the
attribute names become the header. Which files, under which names and separators: CORPUS below.
"""
import csv
import gzip
import os
import sys

# ARFF file -> (corpus name, separator of the CSV written)
CORPUS = {
    "diabetes.arff": ("pima_diabetes", ","),
    "ionosphere.arff": ("ionosphere", ","),
    "soybean.arff": ("soybean", ","),
    "glass.arff": ("glass", ";"),
    "segment-challenge.arff": ("segment", ","),
    "cpu.with.vendor.arff": ("cpu_vendor", ","),
    "ReutersCorn-train.arff": ("reuters_corn", ","),
    "unbalanced.arff": ("unbalanced", ","),
    "breast-cancer.arff": ("breast_cancer_recurrence", "\t"),
}


def read_arff(path):
    opener = gzip.open if path.endswith(".gz") else open
    names, rows, in_data = [], [], False
    with opener(path, "rt", encoding="latin-1") as f:
        data_lines = []
        for line in f:
            stripped = line.strip()
            if not in_data:
                low = stripped.lower()
                if low.startswith("@attribute"):
                    rest = stripped[len("@attribute"):].strip()
                    if rest.startswith("'") or rest.startswith('"'):
                        q = rest[0]
                        end = rest.index(q, 1)
                        names.append(rest[1:end])
                    else:
                        names.append(rest.split()[0])
                elif low.startswith("@data"):
                    in_data = True
            elif stripped and not stripped.startswith("%"):
                # ARFF escapes inside quotes: \n is a line break, \' a quote (kept as placeholders while splitting).
                data_lines.append(stripped.replace("\\n", "\x01").replace("\\'", "\x02").replace('\\"', '"'))
    for record in csv.reader(data_lines, quotechar="'", skipinitialspace=True):
        rows.append(["" if v.strip() == "?" else v.strip().replace("\x01", "\n").replace("\x02", "'") for v in record])
    return names, rows


def main(src, out):
    os.makedirs(out, exist_ok=True)
    for file, (name, sep) in CORPUS.items():
        names, rows = read_arff(os.path.join(src, file))
        assert all(len(r) == len(names) for r in rows), f"{file}: ragged rows"
        with open(os.path.join(out, name + ".csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, delimiter=sep, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            w.writerow(names)
            w.writerows(rows)
        print(f"{name}: {len(rows)} rows x {len(names)} columns from {file}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
