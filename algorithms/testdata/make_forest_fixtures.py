"""Record scikit-learn reference scores for the Go forest tests.

Run from the repository root with Debian's scikit-learn (1.2.1):

    /usr/bin/python3 algorithms/testdata/make_forest_fixtures.py

For each dataset it draws one fixed permutation (numpy seed 0), trains on the
first 75% of the permuted rows and tests on the rest, fitting
RandomForest{Regressor,Classifier} and ExtraTrees{Regressor,Classifier} with
n_estimators=100 and defaults otherwise. It writes forest_fixtures.json next
to this file: the permutation, the training size and the test r2 (regression)
or accuracy and macro F1 (classification) for random_state=0 and averaged over
random_state 0..4. The Go tests reuse the permutation so both sides see the
same split, and require the native forests' average over their own five seeds
to score no worse than sklearn's average minus a small margin: on test sets of
38 to 450 rows one seed moves r2 by ±0.03, so single runs of two different
random generators cannot be compared to 0.02.
"""

import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.metrics import accuracy_score, f1_score, r2_score

from make_fixtures import load

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN_FRACTION = 0.75
SEEDS = range(5)

DATASETS = [
    # name, label column(s), task
    ("diabetes", "target", "regression"),
    ("linnerud", ["weight", "waste", "pulse"], "regression"),
    ("iris", "target", "classification"),
    ("breast_cancer", "malignant", "classification"),
    ("digits", "target", "classification"),
]

ESTIMATORS = {
    "regression": {"random_forest": RandomForestRegressor, "extra_trees": ExtraTreesRegressor},
    "classification": {"random_forest": RandomForestClassifier, "extra_trees": ExtraTreesClassifier},
}


def fixture(name, label, task):
    x, y = load(name, label)
    permutation = np.random.RandomState(0).permutation(len(x))
    n_train = int(TRAIN_FRACTION * len(x))
    train, test = permutation[:n_train], permutation[n_train:]
    scores = {}
    for algorithm, estimator in ESTIMATORS[task].items():
        runs = []
        for seed in SEEDS:
            model = estimator(n_estimators=100, random_state=seed).fit(x[train], y[train])
            pred = model.predict(x[test])
            if task == "regression":
                # uniform_average over outputs, like the multi-output score().
                runs.append({"r2": float(r2_score(y[test], pred))})
            else:
                runs.append({
                    "accuracy": float(accuracy_score(y[test], pred)),
                    "f1_macro": float(f1_score(y[test], pred, average="macro")),
                })
        scores[algorithm] = {
            "random_state_0": runs[0],
            "mean_over_seeds": {k: float(np.mean([r[k] for r in runs])) for k in runs[0]},
        }
    return {
        "task": task,
        "labels": [label] if isinstance(label, str) else label,
        "permutation": permutation.tolist(),
        "n_train": n_train,
        "scores": scores,
    }


def main():
    fixtures = {
        "sklearn_version": sklearn.__version__,
        "seeds": list(SEEDS),
        "datasets": {name: fixture(name, label, task) for name, label, task in DATASETS},
    }
    with open(os.path.join(HERE, "forest_fixtures.json"), "w") as f:
        json.dump(fixtures, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
