"""Record scikit-learn reference figures for the Go tests in algorithms/.

Run from the repository root with Debian's scikit-learn (1.2.1):

    /usr/bin/python3 algorithms/testdata/make_fixtures.py

It reads the gzipped CSV datasets next to this file, fits sklearn's
LogisticRegression / LinearRegression with default hyperparameters and writes
sklearn_fixtures.json here: coefficients, intercepts, training accuracy or r2,
plus metric values for a few hand-made label vectors. Re-run it only when the
datasets or the reference sklearn version change; the Go tests compare against
the recorded numbers and never run Python.
"""

import csv
import gzip
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn import metrics

OPTIMUM_MAX_ITER = 20000
HERE = os.path.dirname(os.path.abspath(__file__))


def parse(value):
    if value in ("true", "false"):
        return [1.0 if value == "true" else 0.0]
    if value.startswith("{"):
        return [float(v) for v in value.replace("{", "").replace("}", "").split(",")]
    return [float(value)]


def load(name, label):
    """Features (arrays flattened, in column order) and the label column(s)."""
    labels = [label] if isinstance(label, str) else label
    with gzip.open(os.path.join(HERE, name + ".csv.gz"), "rt", newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    feature_cols = [i for i, h in enumerate(header) if h not in labels]
    label_cols = [header.index(l) for l in labels]
    x = np.array([[v for i in feature_cols for v in parse(r[i])] for r in rows])
    y = np.array([[v for i in label_cols for v in parse(r[i])] for r in rows])
    return x, (y[:, 0] if isinstance(label, str) else y)


# The toy datasets the native forms' fixtures fit: file and label column(s).
TOY_DATASETS = {
    "diabetes": ("diabetes", "target"),
    "linnerud": ("linnerud", ["weight", "waste", "pulse"]),
    "breast_cancer": ("breast_cancer", "malignant"),
    "iris": ("iris", "target"),
    "digits": ("digits", "target"),
}


def pgml_bridge():
    """pybridge/bridge.py as a module: the exporter the python worker runs, for the fixtures
    of the native forms (make_sklearntrees_fixtures.py, make_sklearnkernels_fixtures.py)."""
    import importlib.util

    path = os.path.join(HERE, "..", "..", "pybridge", "bridge.py")
    spec = importlib.util.spec_from_file_location("pgml_bridge", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mixed(x, y):
    """Rows i·7 mod n (pybridge's interleaved): every class in both parts."""
    order = [(i * 7) % len(x) for i in range(len(x))]
    return x[order], y[order]


def classifier_fixture(name, label):
    x, y = load(name, label)
    with warnings.catch_warnings():
        # sklearn stops at max_iter=100 short of the optimum on unscaled
        # data; that is the reference behaviour we record.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = LogisticRegression().fit(x, y)
        # The same objective solved tightly: the optimum our solver must find.
        optimum = LogisticRegression(max_iter=OPTIMUM_MAX_ITER, tol=1e-10).fit(x, y)
    return {
        "classes": model.classes_.tolist(),
        "coef": model.coef_.tolist(),
        "intercept": model.intercept_.tolist(),
        "n_iter": int(model.n_iter_[0]),
        "accuracy": float(model.score(x, y)),
        "optimum": {
            "coef": optimum.coef_.tolist(),
            "intercept": optimum.intercept_.tolist(),
            "converged": bool(optimum.n_iter_[0] < OPTIMUM_MAX_ITER),
            "accuracy": float(optimum.score(x, y)),
        },
    }


def regression_fixture(name, label):
    x, y = load(name, label)
    model = LinearRegression().fit(x, y)
    coef = np.atleast_2d(model.coef_)
    return {
        "coef": coef.tolist(),
        "intercept": np.atleast_1d(model.intercept_).tolist(),
        "r2": float(model.score(x, y)),
    }


def classification_metrics(y_true, y_pred):
    """Binary scores for the larger label when there are two, else macro."""
    labels = sorted(set(y_true) | set(y_pred))
    # sklearn refuses fractional labels as "continuous"; strings keep the
    # classes apart without changing any score.
    t = [repr(v) for v in y_true]
    p = [repr(v) for v in y_pred]
    if len(labels) == 2:
        kw = {"average": "binary", "pos_label": repr(labels[1])}
    else:
        kw = {"average": "macro"}
    return {
        "y_true": y_true,
        "y_pred": y_pred,
        "f1": metrics.f1_score(t, p, zero_division=0, **kw),
        "precision": metrics.precision_score(t, p, zero_division=0, **kw),
        "recall": metrics.recall_score(t, p, zero_division=0, **kw),
        "accuracy": metrics.accuracy_score(t, p),
        "mcc": metrics.matthews_corrcoef(t, p),
    }


def regression_metrics(y_true, y_pred):
    return {
        "y_true": y_true,
        "y_pred": y_pred,
        "r2": metrics.r2_score(y_true, y_pred),
        "mean_squared_error": metrics.mean_squared_error(y_true, y_pred),
        "mean_absolute_error": metrics.mean_absolute_error(y_true, y_pred),
    }


def main():
    fixtures = {
        "sklearn_version": sklearn.__version__,
        "logistic": {
            "iris": classifier_fixture("iris", "target"),
            "breast_cancer": classifier_fixture("breast_cancer", "malignant"),
            "digits": classifier_fixture("digits", "target"),
        },
        "ols": {
            "diabetes": regression_fixture("diabetes", "target"),
            "linnerud": regression_fixture("linnerud", ["weight", "waste", "pulse"]),
        },
        "classification_metrics": {
            "binary": classification_metrics(
                [0, 1, 1, 0, 1, 1, 0, 0, 1, 1], [0, 1, 0, 0, 1, 1, 1, 0, 1, 0]),
            "binary_odd_labels": classification_metrics(
                [3.5, -1, -1, 3.5, 3.5, -1, 3.5], [3.5, 3.5, -1, -1, 3.5, -1, 3.5]),
            "positive_never_predicted": classification_metrics(
                [0, 1, 1, 0, 0], [0, 0, 0, 0, 0]),
            "multiclass": classification_metrics(
                [0, 1, 2, 2, 1, 0, 2, 1, 0, 2], [0, 2, 2, 2, 1, 0, 1, 1, 0, 0]),
            "class_never_predicted": classification_metrics(
                [0, 1, 2, 2, 1, 0, 2], [0, 1, 1, 1, 1, 0, 0]),
            "label_only_predicted": classification_metrics(
                [0, 0, 1, 1, 1], [0, 2, 1, 1, 0]),
            "constant_prediction_multiclass": classification_metrics(
                [0, 1, 2, 1], [1, 1, 1, 1]),
        },
        "regression_metrics": {
            "simple": regression_metrics([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]),
            "negative_r2": regression_metrics([1, 2, 3], [3, 1, 0]),
            "constant_truth_perfect": regression_metrics([4, 4, 4], [4, 4, 4]),
            "constant_truth_imperfect": regression_metrics([4, 4, 4], [4, 5, 4]),
        },
    }
    with open(os.path.join(HERE, "sklearn_fixtures.json"), "w") as f:
        json.dump(fixtures, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
