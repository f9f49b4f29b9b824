"""Record scikit-learn reference figures for algorithms/svm.

Run from the repository root with Debian's scikit-learn (1.2.1), not the
pyenv python on PATH:

    /usr/bin/python3 algorithms/testdata/make_svm_fixtures.py

Each dataset is split by a fixed permutation (numpy seed 0, stored in the JSON
so the Go tests use the same rows): the first 75% of the permuted rows train,
the rest test. SVC and SVR are fitted with sklearn's defaults (plus a linear
kernel on iris), and their test r2, or accuracy and macro f1, are recorded
with the number of support vectors and the intercepts. For iris with the
linear kernel each one-vs-one pair is also fitted alone to record its dual
objective ½·αᵀQα − Σα, which is unique even when α is not.

The Go tests only read svm_fixtures.json and never run Python.
"""

import json
import os
import sys

import numpy as np
import sklearn
from sklearn.metrics import accuracy_score, f1_score, r2_score
from sklearn.svm import SVC, SVR

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_fixtures import load  # noqa: E402  (same CSV parsing as the other fixtures)
from make_penalized_fixtures import DATASETS, split  # noqa: E402  (same splits)

# (task, sklearn constructor, hyperparameters as given to pgml, datasets).
ESTIMATORS = [
    ("regression", SVR, {}, None),
    ("classification", SVC, {}, None),
    ("classification", SVC, {"kernel": "linear"}, ["iris"]),
    ("classification", SVC, {"kernel": "poly"}, ["iris", "breast_cancer"]),
]


def pair_objectives(x, y, hp):
    """Dual objective of each one-vs-one pair (i < j) of a linear SVC."""
    classes = np.unique(y)
    out = []
    for a in range(len(classes)):
        for b in range(a + 1, len(classes)):
            mask = (y == classes[a]) | (y == classes[b])
            m = SVC(**hp).fit(x[mask], y[mask])
            w = m.coef_[0]
            out.append(0.5 * float(w @ w) - float(np.abs(m.dual_coef_).sum()))
    return out


def main():
    fixtures = {"sklearn_version": sklearn.__version__, "splits": {}, "cases": []}
    data = {}
    for name, (label, task) in DATASETS.items():
        x, y = load(name, label)
        perm, n_train = split(len(y))
        fixtures["splits"][name] = {"perm": perm.tolist(), "n_train": n_train}
        tr, te = perm[:n_train], perm[n_train:]
        data[name] = (task, x[tr], y[tr], x[te], y[te])

    for task, make, hp, only in ESTIMATORS:
        for name, (dtask, xtr, ytr, xte, yte) in data.items():
            if dtask != task or (only is not None and name not in only):
                continue
            model = make(**hp).fit(xtr, ytr)
            pred = model.predict(xte)
            case = {"algorithm": "svm", "task": task, "dataset": name, "hyperparams": hp,
                    "n_support": int(model.support_.shape[0])}
            if task == "regression":
                case["metrics"] = {"r2": r2_score(yte, pred)}
                # libsvm's rho: the prediction is Σ coef·K − rho.
                case["rho"] = [-float(v) for v in np.atleast_1d(model.intercept_)]
            else:
                case["metrics"] = {
                    "accuracy": accuracy_score(yte, pred),
                    "f1": f1_score(yte, pred, average="macro"),
                }
                case["n_support_per_class"] = model.n_support_.tolist()
                # sklearn negates the binary intercept so that positive means
                # classes_[1]; libsvm's rho is -intercept_ for the pair whose
                # positive class is the smaller label.
                intercept = np.atleast_1d(model._intercept_)
                case["rho"] = [-float(v) for v in intercept]
                if hp.get("kernel") == "linear":
                    case["pair_objectives"] = pair_objectives(xtr, ytr, hp)
            fixtures["cases"].append(case)

    with open(os.path.join(HERE, "svm_fixtures.json"), "w") as f:
        json.dump(fixtures, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
