"""Record scikit-learn reference figures for algorithms/penalized and
algorithms/neighbors.

Run from the repository root with Debian's scikit-learn (1.2.1), not the
pyenv python on PATH:

    /usr/bin/python3 algorithms/testdata/make_penalized_fixtures.py

Each dataset is split by a fixed permutation (numpy seed 0, stored in the JSON
so the Go tests use the same rows): the first 75% of the permuted rows train,
the rest test. Every estimator is fitted with sklearn's defaults
(random_state=0 where it applies), and its test r2, or accuracy and macro f1,
are recorded, plus coefficients for the convex closed-form / coordinate
descent models whose optimum is unique. On unscaled breast_cancer and digits
SGD and LinearSVC do poorly in sklearn too; the figures are what sklearn gets.

The Go tests only read penalized_fixtures.json and never run Python.
"""

import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import (ElasticNet, Lasso, Ridge, RidgeClassifier,
                                  SGDClassifier, SGDRegressor)
from sklearn.metrics import accuracy_score, f1_score, r2_score
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.svm import LinearSVC, LinearSVR

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_fixtures import load  # noqa: E402  (same CSV parsing as the other fixtures)

TRAIN_FRACTION = 0.75

DATASETS = {
    "diabetes": ("target", "regression"),
    "iris": ("target", "classification"),
    "breast_cancer": ("malignant", "classification"),
    "digits": ("target", "classification"),
}

# (pgml algorithm name, task, sklearn constructor, hyperparameters as given
# to pgml, whether the coefficients are unique and worth comparing).
ESTIMATORS = [
    ("ridge", "regression", Ridge, {}, True),
    ("ridge", "classification", RidgeClassifier, {}, True),
    ("lasso", "regression", Lasso, {}, True),
    ("elastic_net", "regression", ElasticNet, {}, True),
    ("stochastic_gradient_descent", "regression", SGDRegressor, {"random_state": 0}, False),
    ("stochastic_gradient_descent", "classification", SGDClassifier, {"random_state": 0}, False),
    ("linear_svm", "regression", LinearSVR, {"random_state": 0}, False),
    ("linear_svm", "classification", LinearSVC, {"random_state": 0}, False),
    ("knn", "regression", KNeighborsRegressor, {}, False),
    ("knn", "regression", KNeighborsRegressor, {"weights": "distance"}, False),
    ("knn", "regression", KNeighborsRegressor, {"p": 1}, False),
    ("knn", "classification", KNeighborsClassifier, {}, False),
    ("knn", "classification", KNeighborsClassifier, {"weights": "distance"}, False),
    ("knn", "classification", KNeighborsClassifier, {"p": 1}, False),
]


def split(n):
    perm = np.random.RandomState(0).permutation(n)
    return perm, int(TRAIN_FRACTION * n)


def main():
    fixtures = {"sklearn_version": sklearn.__version__, "splits": {}, "cases": [], "multi_target": []}
    data = {}
    for name, (label, task) in DATASETS.items():
        x, y = load(name, label)
        perm, n_train = split(len(y))
        fixtures["splits"][name] = {"perm": perm.tolist(), "n_train": n_train}
        tr, te = perm[:n_train], perm[n_train:]
        data[name] = (task, x[tr], y[tr], x[te], y[te])

    for algorithm, task, make, hp, unique in ESTIMATORS:
        for name, (dtask, xtr, ytr, xte, yte) in data.items():
            if dtask != task:
                continue
            with warnings.catch_warnings():
                # Unscaled data keeps sklearn's iterative solvers from
                # converging in max_iter; that is the reference we record.
                warnings.simplefilter("ignore", ConvergenceWarning)
                model = make(**hp).fit(xtr, ytr)
            pred = model.predict(xte)
            case = {"algorithm": algorithm, "task": task, "dataset": name, "hyperparams": hp}
            if task == "regression":
                case["metrics"] = {"r2": r2_score(yte, pred)}
            else:
                case["metrics"] = {
                    "accuracy": accuracy_score(yte, pred),
                    "f1": f1_score(yte, pred, average="macro"),
                }
            if unique:
                case["coef"] = np.atleast_2d(model.coef_).tolist()
                case["intercept"] = np.atleast_1d(model.intercept_).tolist()
            fixtures["cases"].append(case)

    # Joint (multi-target) regression on all of linnerud: sklearn fits the
    # targets of Ridge jointly in closed form and those of Lasso/ElasticNet
    # one at a time.
    x, y = load("linnerud", ["weight", "waste", "pulse"])
    for algorithm, make in [("ridge", Ridge), ("lasso", Lasso), ("elastic_net", ElasticNet)]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = make().fit(x, y)
        fixtures["multi_target"].append({
            "algorithm": algorithm,
            "dataset": "linnerud",
            "coef": model.coef_.tolist(),
            "intercept": model.intercept_.tolist(),
        })

    with open(os.path.join(HERE, "penalized_fixtures.json"), "w") as f:
        json.dump(fixtures, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
