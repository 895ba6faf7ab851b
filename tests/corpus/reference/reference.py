#!/usr/bin/env python3
"""scikit-learn reference for the workflow corpus (issue 23).

For every split file the `workflow-corpus` benchmark wrote (tests/corpus/reference/splits/<name>.json: the workflow's
own development and test rows, its feature columns and their kinds, its task and metric), fits four competent
scikit-learn models on the development rows and scores them once on the test rows with the workflow's metric:

  HistGradientBoosting (defaults: early stopping on 10 % of the rows above 10,000 rows),
  LogisticRegression (C = 1) / Ridge for regression, on standardized numbers, one-hot categories and TF-IDF text,
  RandomForest (300 trees),
  MLP (100 ReLU units, Adam, early stopping; regression targets standardized).

Numbers: median imputation (plus missing indicators); categories: one-hot with a "missing" level, unknown levels
ignored; text: TF-IDF of words and bigrams (20,000 most frequent); dates: year, month, day of month, day of week,
day of year. Image columns have no scikit-learn featurizer: such data sets get no reference.

Writes tests/corpus/reference/results.json. Run from the repository root with Debian's packages:
    apt-get install python3-sklearn python3-pandas
    /usr/bin/python3 tests/corpus/reference/reference.py [names...]
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier,
                              RandomForestRegressor)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score, mean_absolute_error,
                             roc_auc_score)
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SEED = 1


def load(split):
    path = os.path.join(ROOT, split["file"])
    sep = split["separator"]
    # Everything as text first: the workflow's kinds decide what a column is.
    frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, na_values=[""], engine="python" if sep == "|" else "c")
    return frame


def date_parts(column):
    d = pd.to_datetime(column, errors="coerce")
    return pd.DataFrame({"year": d.dt.year, "month": d.dt.month, "day": d.dt.day, "weekday": d.dt.dayofweek, "yearday": d.dt.dayofyear})


def features(frame, split):
    """The workflow's feature columns, typed by its kinds (dates become calendar numbers)."""
    out, kinds = {}, {}
    for column in split["features"]:
        name, kind = column["name"], column["kind"]
        if kind == "Numeric":
            out[name] = pd.to_numeric(frame[name], errors="coerce")
            kinds[name] = "number"
        elif kind == "Categorical":
            out[name] = frame[name].fillna("(missing)")
            kinds[name] = "category"
        elif kind == "Text":
            out[name] = frame[name].fillna("")
            kinds[name] = "text"
        elif kind == "Timestamp":
            for part, values in date_parts(frame[name]).items():
                out[f"{name}_{part}"] = values
                kinds[f"{name}_{part}"] = "number"
        else:
            raise ValueError(f"{split['name']}: no scikit-learn featurizer for {kind} column '{name}'")
    return pd.DataFrame(out), kinds


def preprocessor(kinds, scale, dense_trees=False):
    numbers = [c for c, k in kinds.items() if k == "number"]
    categories = [c for c, k in kinds.items() if k == "category"]
    texts = [c for c, k in kinds.items() if k == "text"]
    parts = []
    if numbers:
        steps = [SimpleImputer(strategy="median", add_indicator=True)] + ([StandardScaler()] if scale else [])
        parts.append(("numbers", make_pipeline(*steps), numbers))
    if categories:
        if dense_trees:
            parts.append(("categories", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1), categories))
        else:
            parts.append(("categories", OneHotEncoder(handle_unknown="ignore"), categories))
    for text in texts:
        parts.append((f"text_{text}", TfidfVectorizer(ngram_range=(1, 2), max_features=20000, sublinear_tf=True), text))
    return ColumnTransformer(parts, sparse_threshold=0.3 if not dense_trees else 0)


def models(task, kinds):
    has_text = any(k == "text" for k in kinds.values())
    categories = [i for i, k in enumerate(kinds.values()) if k == "category"]
    if task == "Regression":
        return {
            "HistGradientBoosting": make_pipeline(preprocessor(kinds, False, dense_trees=not has_text), HistGradientBoostingRegressor(random_state=SEED))
            if not has_text else None,
            "Ridge": make_pipeline(preprocessor(kinds, True), Ridge(alpha=1.0)),
            "RandomForest": make_pipeline(preprocessor(kinds, False), RandomForestRegressor(n_estimators=300, n_jobs=-1, random_state=SEED)),
            "MLP": TransformedTargetRegressor(
                regressor=make_pipeline(preprocessor(kinds, True), MLPRegressor((100,), early_stopping=True, max_iter=500, random_state=SEED)),
                transformer=StandardScaler()),
        }
    return {
        "HistGradientBoosting": make_pipeline(preprocessor(kinds, False, dense_trees=not has_text), HistGradientBoostingClassifier(random_state=SEED))
        if not has_text else None,
        "LogisticRegression": make_pipeline(preprocessor(kinds, True), LogisticRegression(C=1.0, max_iter=2000)),
        "RandomForest": make_pipeline(preprocessor(kinds, False), RandomForestClassifier(n_estimators=300, n_jobs=-1, random_state=SEED)),
        "MLP": make_pipeline(preprocessor(kinds, True), MLPClassifier((100,), early_stopping=True, max_iter=500, random_state=SEED)),
    }


def score(metric, model, x, y, positive):
    if metric in ("auc", "auprc"):
        classes = list(model.classes_)
        p = model.predict_proba(x)[:, classes.index(positive)]
        truth = (y == positive).astype(int)
        return roc_auc_score(truth, p) if metric == "auc" else average_precision_score(truth, p)
    predicted = model.predict(x)
    if metric == "accuracy":
        return accuracy_score(y, predicted)
    if metric == "macro-accuracy":
        return balanced_accuracy_score(y, predicted)
    if metric == "mae":
        return mean_absolute_error(y, predicted)
    raise ValueError(f"no scikit-learn scorer for metric {metric}")


def run(split):
    frame = load(split)
    x, kinds = features(frame, split)
    label = frame[split["label"]]
    regression = split["task"] == "Regression"
    y = pd.to_numeric(label).to_numpy() if regression else label.to_numpy()
    dev, test = split["developmentRows"], split["testRows"]
    results = {}
    for name, model in models(split["task"], kinds).items():
        if model is None:
            continue
        start = time.time()
        model.fit(x.iloc[dev], y[dev])
        value = score(split["metric"], model, x.iloc[test], y[test], split.get("positiveClass"))
        results[name] = {"value": float(value), "seconds": round(time.time() - start, 2)}
        print(f"  {name}: {split['metric']} {value:.4f} ({results[name]['seconds']} s)", flush=True)
    return results


def main(names):
    splits_dir = os.path.join(HERE, "splits")
    out_path = os.path.join(HERE, "results.json")
    results = json.load(open(out_path)) if os.path.exists(out_path) else {}
    for file in sorted(os.listdir(splits_dir)):
        split = json.load(open(os.path.join(splits_dir, file)))
        if names and split["name"] not in names:
            continue
        print(f"{split['name']}: {split['task']}, {split['metric']}", flush=True)
        if any(c["kind"] == "ImagePath" for c in split["features"]):
            results[split["name"]] = {"metric": split["metric"], "splitHash": split["splitHash"], "models": {},
                                      "note": "image paths: scikit-learn has no image featurizer"}
            continue
        results[split["name"]] = {"metric": split["metric"], "splitHash": split["splitHash"], "models": run(split)}
    results["_versions"] = {"scikit-learn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__}
    with open(out_path, "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
