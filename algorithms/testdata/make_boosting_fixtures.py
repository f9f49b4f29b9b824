"""Record scikit-learn gradient boosting reference figures for algorithms/boosting.

Run from the repository root with Debian's scikit-learn (1.2.1), not the pyenv
python3 on PATH:

    /usr/bin/python3 algorithms/testdata/make_boosting_fixtures.py

For each toy dataset it draws one fixed permutation (numpy RandomState(0)),
trains on the first 75% of it and scores the remaining rows with
GradientBoosting{Regressor,Classifier} and HistGradientBoosting{Regressor,
Classifier} at their defaults (random_state=0; early_stopping=False for the
histogram models, which pgml never stops early). The permutation is stored in
boosting_fixtures.json so the Go tests split the rows identically and never run
Python. LightGBM is not installed here; the Go tests hold pgml's "lightgbm" to
HistGradientBoosting's figure, the closest sklearn model.
"""

import csv
import gzip
import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.metrics import accuracy_score, f1_score, r2_score

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN_FRACTION = 0.75

DATASETS = [
    # name, label column, task
    ("diabetes", "target", "regression"),
    ("iris", "target", "classification"),
    ("breast_cancer", "malignant", "classification"),
    ("digits", "target", "classification"),
]


def parse(value):
    if value in ("true", "false"):
        return [1.0 if value == "true" else 0.0]
    if value.startswith("{"):
        return [float(v) for v in value.replace("{", "").replace("}", "").split(",")]
    return [float(value)]


def load(name, label):
    """Features (arrays flattened, in column order) and the label column, as
    algorithms/internal/datasets.Load reads them."""
    with gzip.open(os.path.join(HERE, name + ".csv.gz"), "rt", newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    feature_cols = [i for i, h in enumerate(header) if h != label]
    label_col = header.index(label)
    x = np.array([[v for i in feature_cols for v in parse(r[i])] for r in rows])
    y = np.array([parse(r[label_col])[0] for r in rows])
    return x, y


def scores(task, y_true, y_pred):
    if task == "regression":
        return {"r2": r2_score(y_true, y_pred)}
    return {
        "accuracy": accuracy_score(y_true, y_pred),
        "f1_macro": f1_score(y_true, y_pred, average="macro"),
    }


def main():
    out = {"sklearn_version": sklearn.__version__, "train_fraction": TRAIN_FRACTION, "datasets": {}}
    for name, label, task in DATASETS:
        x, y = load(name, label)
        perm = np.random.RandomState(0).permutation(len(y))
        n_train = int(TRAIN_FRACTION * len(y))
        train, test = perm[:n_train], perm[n_train:]
        if task == "regression":
            gb = GradientBoostingRegressor(random_state=0)
            hist = HistGradientBoostingRegressor(random_state=0, early_stopping=False)
        else:
            gb = GradientBoostingClassifier(random_state=0)
            hist = HistGradientBoostingClassifier(random_state=0, early_stopping=False)
        entry = {"label": label, "task": task, "permutation": perm.tolist(), "train_rows": n_train}
        for key, model in (("gradient_boosting", gb), ("hist_gradient_boosting", hist)):
            model.fit(x[train], y[train])
            entry[key] = scores(task, y[test], model.predict(x[test]))
        out["datasets"][name] = entry
        print(name, {k: entry[k] for k in ("gradient_boosting", "hist_gradient_boosting")})
    with open(os.path.join(HERE, "boosting_fixtures.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
