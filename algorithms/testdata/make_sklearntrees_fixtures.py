"""Record scikit-learn tree models, exported, for the Go tests of algorithms/sklearntrees.

Run from the repository root with Debian's scikit-learn (1.2.1):

    /usr/bin/python3 algorithms/testdata/make_sklearntrees_fixtures.py

Each case fits one estimator on the first 75% of a toy dataset (rows in a fixed order that
mixes the classes), exports it with pgml's own exporter (pybridge/bridge.py export_trees, the
code the python worker runs), and records the held-out rows with scikit-learn's predict and,
for classifiers, predict_proba of them. The Go tests build the native model from the export and
must predict the same within 1e-9 relative. "bench_forest" is a 100-tree random forest on the
whole of diabetes, for the per-row benchmark. Written gzipped: sklearntrees_fixtures.json.gz.
"""

import gzip
import json
import os

import numpy as np
from sklearn.ensemble import (
    AdaBoostClassifier,
    AdaBoostRegressor,
    BaggingClassifier,
    BaggingRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.multioutput import MultiOutputRegressor

from make_fixtures import TOY_DATASETS, load, mixed, pgml_bridge

HERE = os.path.dirname(os.path.abspath(__file__))

bridge = pgml_bridge()

DATASETS = TOY_DATASETS

REGRESSION = ["diabetes"]
JOINT = ["linnerud"]
CLASSIFICATION = ["breast_cancer", "iris"]

SMALL = dict(n_estimators=7, max_depth=5, random_state=0)
CASES = [
    # algorithm, estimator factory, datasets
    ("random_forest", lambda: RandomForestRegressor(**SMALL), REGRESSION + JOINT),
    ("random_forest", lambda: RandomForestClassifier(**SMALL), CLASSIFICATION),
    ("extra_trees", lambda: ExtraTreesRegressor(**SMALL), REGRESSION + JOINT),
    ("extra_trees", lambda: ExtraTreesClassifier(**SMALL), CLASSIFICATION),
    ("gradient_boosting_trees", lambda: GradientBoostingRegressor(**SMALL), REGRESSION),
    ("gradient_boosting_trees",
     lambda: MultiOutputRegressor(GradientBoostingRegressor(**SMALL)), JOINT),
    ("gradient_boosting_trees", lambda: GradientBoostingRegressor(loss="huber", **SMALL), REGRESSION),
    ("gradient_boosting_trees", lambda: GradientBoostingClassifier(**SMALL), CLASSIFICATION),
    ("gradient_boosting_trees",
     lambda: GradientBoostingClassifier(loss="exponential", **SMALL), ["breast_cancer"]),
    ("gradient_boosting_trees",
     lambda: GradientBoostingClassifier(init="zero", learning_rate=0.3, **SMALL), ["iris"]),
    ("hist_gradient_boosting", lambda: HistGradientBoostingRegressor(max_iter=10, random_state=0),
     REGRESSION),
    ("hist_gradient_boosting",
     lambda: HistGradientBoostingRegressor(loss="poisson", max_iter=10, random_state=0), REGRESSION),
    ("hist_gradient_boosting", lambda: HistGradientBoostingClassifier(max_iter=10, random_state=0),
     CLASSIFICATION),
    ("bagging", lambda: BaggingRegressor(n_estimators=5, max_features=0.6, random_state=0),
     REGRESSION + JOINT),
    ("bagging", lambda: BaggingClassifier(n_estimators=5, max_features=0.6, random_state=0),
     CLASSIFICATION),
    ("ada_boost", lambda: AdaBoostRegressor(n_estimators=10, random_state=0), REGRESSION),
    ("ada_boost", lambda: MultiOutputRegressor(AdaBoostRegressor(n_estimators=10, random_state=0)), JOINT),
    ("ada_boost", lambda: AdaBoostClassifier(n_estimators=10, random_state=0), CLASSIFICATION),
    ("ada_boost", lambda: AdaBoostClassifier(n_estimators=10, algorithm="SAMME", random_state=0),
     CLASSIFICATION),
]


def plain(export):
    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in export.items()}


def case(name, algorithm, est, x, y, held):
    fitted = est.fit(x, y)
    export = bridge.export_trees(fitted, algorithm)
    if "trees" not in export:
        raise SystemExit("%s on %s: %s" % (name, algorithm, export["reason"]))
    c = {
        "name": name,
        "algorithm": algorithm,
        "class": type(est).__name__,
        "trees": plain(export["trees"]),
        # JSON has no NaN: a missing value is null.
        "x": [[None if np.isnan(v) else v for v in row] for row in held.tolist()],
        "predictions": np.asarray(fitted.predict(held), dtype=np.float64).reshape(len(held), -1).tolist(),
    }
    if hasattr(fitted, "predict_proba") and hasattr(fitted, "classes_"):
        c["probabilities"] = fitted.predict_proba(held).tolist()
    return c


def with_missing(x, seed):
    """x with a tenth of its values NaN (histogram boosting learns where they go)."""
    x = x.copy()
    rng = np.random.RandomState(seed)
    x[rng.rand(*x.shape) < 0.1] = np.nan
    return x


def main():
    cases = []
    for algorithm, factory, names in CASES:
        for name in names:
            x, y = mixed(*load(*DATASETS[name]))
            n = len(x) * 3 // 4
            held = x[n:][:80]
            cases.append(case(name, algorithm, factory(), x[:n], y[:n], held))
    # Histogram boosting with missing values, in training and predicting.
    for name, factory in [("diabetes", HistGradientBoostingRegressor),
                          ("iris", HistGradientBoostingClassifier)]:
        x, y = mixed(*load(*DATASETS[name]))
        x = with_missing(x, 0)
        n = len(x) * 3 // 4
        cases.append(case(name + "_missing", "hist_gradient_boosting",
                          factory(max_iter=10, random_state=0), x[:n], y[:n], x[n:][:80]))
    x, y = load(*DATASETS["diabetes"])
    bench = case("diabetes", "random_forest", RandomForestRegressor(n_estimators=100, random_state=0),
                 x, y, x[:20])
    out = {"cases": cases, "bench_forest": bench}
    with gzip.open(os.path.join(HERE, "sklearntrees_fixtures.json.gz"), "wt") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
