"""Record scikit-learn reference figures for algorithms/analysis.

Run from the repository root with Debian's scikit-learn (1.2.1):

    /usr/bin/python3 algorithms/testdata/make_analysis_fixtures.py

It writes analysis_fixtures.json here: confusion_matrix, roc_curve (full, before the Go
code downsamples it), auc, precision_recall_curve and average_precision_score on seeded
random scores with ties; numpy.quantile of residuals; the standardized coefficients of a
LogisticRegression on iris; the feature_importances_ of single decision trees (compared
with algorithms/forest's impurity importance); an XGBoost 1.7 model (UBJSON) with its
get_score(importance_type="gain"); and permutation_importance of a LinearRegression on diabetes
(the Go test shuffles with its own generator, so it compares within a tolerance).
"""

import base64
import json
import os
import sys

import numpy as np
from sklearn import metrics
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import load  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
QUANTILES = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1]


def curve_case(rng, n, levels, skew):
    y = rng.integers(0, 2, n)
    # Scores rounded to a few levels make ties; skew makes positives score higher.
    s = np.round(rng.random(n) * 0.7 + skew * y, levels)
    fpr, tpr, _ = metrics.roc_curve(y, s)
    precision, recall, _ = metrics.precision_recall_curve(y, s)
    return {
        "positive": [bool(v) for v in y],
        "score": s.tolist(),
        "fpr": fpr.tolist(),
        "tpr": tpr.tolist(),
        "auc": metrics.roc_auc_score(y, s),
        "precision": precision.tolist(),
        "recall": recall.tolist(),
        "average_precision": metrics.average_precision_score(y, s),
    }


def main():
    rng = np.random.default_rng(7)
    curves = {
        "small_ties": curve_case(rng, 30, 1, 0.2),
        "medium": curve_case(rng, 150, 2, 0.3),
        "large_downsampled": curve_case(rng, 3000, 4, 0.2),
    }
    confusion = {}
    for name, k, n in [("binary", 2, 50), ("multiclass", 4, 200)]:
        y_true = rng.integers(0, k, n).astype(float)
        y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, k + 1, n)).astype(float)
        confusion[name] = {
            "y_true": y_true.tolist(),
            "y_pred": y_pred.tolist(),
            "labels": np.unique(np.concatenate([y_true, y_pred])).tolist(),
            "counts": metrics.confusion_matrix(y_true, y_pred).tolist(),
        }
    actual = rng.normal(size=101)
    predicted = actual + rng.normal(scale=0.3, size=101)
    quantiles = {
        "actual": actual.tolist(),
        "predicted": predicted.tolist(),
        "value": np.quantile(actual - predicted, QUANTILES).tolist(),
    }
    x, y = load("iris", "target")
    logistic = LogisticRegression(max_iter=1000).fit(x, y)
    coefficients = {
        "coef": logistic.coef_.tolist(),
        "importance": (np.abs(logistic.coef_).mean(axis=0) * x.std(axis=0)).tolist(),
    }
    x, y = load("diabetes", "target")
    linear = LinearRegression().fit(x, y)
    perm = permutation_importance(linear, x, y, n_repeats=30, random_state=0)
    permutation = {
        "coef": linear.coef_.tolist(),
        "intercept": float(linear.intercept_),
        "repeats": 30,
        "importance": perm.importances_mean.tolist(),
    }
    # One tree on every row and every feature: no randomness but the order features are
    # tried in, which matters only for exact ties; at these depths there are none (one
    # level deeper, features 15 and 16 of breast_cancer tie and the libraries differ).
    trees = {}
    for name, label, estimator, depth in [
        ("diabetes", "target", DecisionTreeRegressor, 3),
        ("breast_cancer", "malignant", DecisionTreeClassifier, 2),
    ]:
        x, y = load(name, label)
        trees[name] = {
            "label": label,
            "max_depth": depth,
            "importance": estimator(max_depth=depth, random_state=0).fit(x, y).feature_importances_.tolist(),
        }
    x, y = load("diabetes", "target")
    booster = __import__("xgboost").train({"max_depth": 3, "eta": 0.3, "nthread": 1}, __import__("xgboost").DMatrix(x, y), 8)
    gain = booster.get_score(importance_type="gain")
    xgboost_gain = {
        "model": base64.b64encode(bytes(booster.save_raw("ubj"))).decode(),
        "gain": [gain.get("f%d" % j, 0.0) for j in range(x.shape[1])],
    }
    fixtures = {
        "xgboost_gain": xgboost_gain,
        "tree_impurity": trees,
        "curves": curves,
        "confusion": confusion,
        "residual_quantiles": quantiles,
        "standardized_coefficients_iris": coefficients,
        "permutation_diabetes": permutation,
    }
    with open(os.path.join(HERE, "analysis_fixtures.json"), "w") as f:
        json.dump(fixtures, f)
        f.write("\n")


if __name__ == "__main__":
    main()
