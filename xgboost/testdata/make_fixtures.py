#!/usr/bin/python3
"""Reference predictions of python xgboost 1.7.4 (Debian python3-xgboost,
the same libxgboost.so.0 the Go package dlopens) for xgboost_test.go.

Run with the system interpreter:  /usr/bin/python3 make_fixtures.py
Each case trains on the whole data set with n_estimators=10, random_state=0,
n_jobs=1 and records predictions (and probabilities) for the first 5 rows.
"""
import csv, gzip, json, os, sys

import numpy as np
import xgboost

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "algorithms", "testdata")


def load(name, label):
    with gzip.open(os.path.join(DATA, name + ".csv.gz"), "rt") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    li = header.index(label)
    conv = lambda v: {"true": 1.0, "false": 0.0}.get(v, None) if v in ("true", "false") else float(v)
    x = np.array([[conv(v) for j, v in enumerate(r) if j != li] for r in rows], dtype=np.float64)
    y = np.array([conv(r[li]) for r in rows], dtype=np.float64)
    return x, y


CASES = [
    ("diabetes", "target", "regression", "xgboost", {}),
    ("diabetes", "target", "regression", "xgboost", {"max_depth": 3, "learning_rate": 0.1, "subsample": 0.7, "colsample_bytree": 0.8, "reg_lambda": 2.0}),
    ("diabetes", "target", "regression", "xgboost_random_forest", {"max_depth": 4}),
    ("iris", "target", "classification", "xgboost", {}),
    ("iris", "target", "classification", "xgboost_random_forest", {}),
    ("breast_cancer", "malignant", "classification", "xgboost", {"gamma": 0.1, "min_child_weight": 2}),
    ("breast_cancer", "malignant", "classification", "xgboost_random_forest", {}),
]

CLASSES = {
    ("regression", "xgboost"): xgboost.XGBRegressor,
    ("regression", "xgboost_random_forest"): xgboost.XGBRFRegressor,
    ("classification", "xgboost"): xgboost.XGBClassifier,
    ("classification", "xgboost_random_forest"): xgboost.XGBRFClassifier,
}

out = {"xgboost_version": xgboost.__version__, "cases": []}
for data, label, task, alg, hp in CASES:
    x, y = load(data, label)
    est = CLASSES[(task, alg)](n_estimators=10, random_state=0, n_jobs=1, **hp)
    est.fit(x, y)
    case = {"data": data, "label": label, "task": task, "algorithm": alg,
            "hyperparams": dict(hp, n_estimators=10), "predict": est.predict(x[:5]).astype(float).tolist()}
    if task == "classification":
        case["predict_proba"] = est.predict_proba(x[:5]).astype(float).tolist()
    out["cases"].append(case)

with open(os.path.join(HERE, "fixtures.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", len(out["cases"]), "cases with xgboost", xgboost.__version__, file=sys.stderr)
