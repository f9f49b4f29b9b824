"""Record scikit-learn kernel models, clusterers and PCA, exported, for the Go tests of
algorithms/sklearnkernels, algorithms/cluster (Exported) and algorithms/decomposition
(NewExported).

Run from the repository root with Debian's scikit-learn (1.2.1):

    /usr/bin/python3 algorithms/testdata/make_sklearnkernels_fixtures.py

Each case fits one estimator on the first 75% of a toy dataset (rows in a fixed order that
mixes the classes), exports it with pgml's own exporter (pybridge/bridge.py export_kernels and
export_unsupervised, the code the python worker runs), and records at most 60 held-out rows
with scikit-learn's predict (transform for PCA) and, for classifiers with probabilities,
predict_proba of them. A Gaussian process classifier keeps the Cholesky factor of its
training rows (n² values per binary machine), so it is fitted on at most the first 120 of
those rows to keep this file small. The Go tests build the native model from the export and must predict
the same within the lifecycle's tolerance (1e-6 for kernel models, 1e-9 for the others).
Written gzipped: sklearnkernels_fixtures.json.gz.
"""

import gzip
import json
import os

import numpy as np
from sklearn.cluster import AffinityPropagation, Birch, KMeans, MeanShift, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.gaussian_process import GaussianProcessClassifier, GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel
from sklearn.kernel_ridge import KernelRidge
from sklearn.multioutput import MultiOutputRegressor
from sklearn.svm import SVC, SVR, NuSVC, NuSVR

from make_fixtures import TOY_DATASETS, load, mixed, pgml_bridge

HERE = os.path.dirname(os.path.abspath(__file__))

bridge = pgml_bridge()

DATASETS = TOY_DATASETS

REGRESSION = ["diabetes"]
JOINT = ["linnerud"]
CLASSIFICATION = ["breast_cancer", "iris"]
UNSUPERVISED = ["iris"]

CASES = [
    # algorithm, estimator factory, datasets
    ("svm", lambda: SVR(), REGRESSION),
    ("svm", lambda: SVR(kernel="poly", degree=2, C=10), REGRESSION),
    ("svm", lambda: MultiOutputRegressor(SVR(kernel="linear")), JOINT),
    ("svm", lambda: SVC(), CLASSIFICATION),
    ("svm", lambda: SVC(probability=True, random_state=0), CLASSIFICATION),
    ("svm", lambda: SVC(kernel="sigmoid", gamma=0.001, probability=True, random_state=0), CLASSIFICATION),
    ("nu_svm", lambda: NuSVR(kernel="poly"), REGRESSION),
    ("nu_svm", lambda: NuSVC(nu=0.1, probability=True, random_state=0), CLASSIFICATION),
    ("kernel_ridge", lambda: KernelRidge(), REGRESSION + JOINT),
    ("kernel_ridge", lambda: KernelRidge(kernel="rbf"), REGRESSION),
    ("kernel_ridge", lambda: KernelRidge(kernel="polynomial", degree=2, coef0=3), JOINT),
    ("kernel_ridge", lambda: KernelRidge(kernel="laplacian"), REGRESSION),
    ("kernel_ridge", lambda: KernelRidge(kernel="sigmoid"), REGRESSION),
    ("kernel_ridge", lambda: KernelRidge(kernel="cosine"), REGRESSION),
    ("kernel_ridge", lambda: KernelRidge(kernel="chi2", gamma=0.01), JOINT),
    ("kernel_ridge", lambda: KernelRidge(kernel="additive_chi2"), JOINT),
    ("gaussian_process", lambda: GaussianProcessRegressor(alpha=0.01, random_state=0), REGRESSION + JOINT),
    ("gaussian_process", lambda: GaussianProcessRegressor(alpha=0.01, normalize_y=True, random_state=0), JOINT),
    # pgml's JSON hyperparameters leave GaussianProcessClassifier its default kernel,
    # 1.0 × RBF(1.0) with both fixed; a fitted amplitude and length scale are read the same way.
    ("gaussian_process", lambda: GaussianProcessClassifier(random_state=0), CLASSIFICATION, 120),
    ("gaussian_process", lambda: GaussianProcessClassifier(kernel=ConstantKernel(1.0) * RBF(1.0), random_state=0),
     ["breast_cancer"], 120),
    ("kmeans", lambda: KMeans(n_clusters=3, n_init=10, random_state=0), UNSUPERVISED),
    ("mini_batch_kmeans", lambda: MiniBatchKMeans(n_clusters=3, n_init=3, random_state=0), UNSUPERVISED),
    ("affinity_propagation", lambda: AffinityPropagation(random_state=0), UNSUPERVISED),
    ("mean_shift", lambda: MeanShift(), UNSUPERVISED),
    ("birch", lambda: Birch(), UNSUPERVISED),
    ("birch", lambda: Birch(n_clusters=None), UNSUPERVISED),
    ("pca", lambda: PCA(), UNSUPERVISED),
    ("pca", lambda: PCA(n_components=2, whiten=True), UNSUPERVISED),
]


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.reshape(-1).tolist()
    return value


def case(name, algorithm, est, x, y, held):
    unsupervised = algorithm in bridge._CENTRES_EXPORTABLE or algorithm == "pca"
    fitted = est.fit(x) if unsupervised else est.fit(x, y)
    if unsupervised:
        export = bridge.export_unsupervised(fitted, algorithm)
    else:
        export = bridge.export_kernels(fitted, algorithm)
    if "reason" in export:
        raise SystemExit("%s on %s: %s" % (name, algorithm, export["reason"]))
    out = fitted.transform(held) if algorithm == "pca" else fitted.predict(held)
    c = {
        "name": name,
        "algorithm": algorithm,
        "class": type(est).__name__,
        "export": plain(export),
        "x": held.tolist(),
        "predictions": np.asarray(out, dtype=np.float64).reshape(len(held), -1).tolist(),
    }
    if hasattr(fitted, "predict_proba") and hasattr(fitted, "classes_"):
        c["probabilities"] = fitted.predict_proba(held).tolist()
    return c


def main():
    cases = []
    for algorithm, factory, names, *fit_rows in CASES:
        for name in names:
            x, y = mixed(*load(*DATASETS[name]))
            n = len(x) * 3 // 4
            fit = min([n] + fit_rows)
            cases.append(case(name, algorithm, factory(), x[:fit], y[:fit], x[n:][:60]))
    with gzip.open(os.path.join(HERE, "sklearnkernels_fixtures.json.gz"), "wt") as f:
        json.dump({"cases": cases}, f)


if __name__ == "__main__":
    main()
