"""Record scikit-learn reference figures for algorithms/cluster and
algorithms/decomposition.

Run from the repository root with Debian's scikit-learn (1.2.1), not the
pyenv python on PATH:

    /usr/bin/python3 algorithms/testdata/make_cluster_fixtures.py

KMeans and MiniBatchKMeans are fitted on all rows of iris and digits (labels
dropped) with random_state 0 and sklearn's 1.2 defaults, recording the inertia
and the silhouette score of their labels, which are stored so the Go tests can
check silhouette against sklearn's silhouette_score on the same labels. PCA is
fitted on diabetes and digits with n_components 2 and 0.9; both sklearn's
default solver ("auto", which is randomized for digits with 2 components) and
the exact "full" solver are recorded, with the transform of the first 5 rows.

The Go tests only read cluster_fixtures.json and never run Python.
"""

import json
import os
import sys
import warnings

import sklearn
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_fixtures import load  # noqa: E402  (same CSV parsing as the other fixtures)

# dataset -> (label column dropped from the features, number of clusters).
CLUSTER_DATASETS = {"iris": ("target", 3), "digits": ("target", 10)}
PCA_DATASETS = {"diabetes": "target", "digits": "target"}


def main():
    fixtures = {"sklearn_version": sklearn.__version__, "kmeans": [], "pca": []}
    for name, (label, k) in CLUSTER_DATASETS.items():
        x, _ = load(name, label)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # n_init="warn"
            km = KMeans(n_clusters=k, random_state=0).fit(x)
            mb = MiniBatchKMeans(n_clusters=k, random_state=0).fit(x)
        fixtures["kmeans"].append({
            "dataset": name,
            "n_clusters": k,
            "kmeans_inertia": float(km.inertia_),
            "kmeans_labels": km.labels_.tolist(),
            "kmeans_silhouette": float(silhouette_score(x, km.labels_)),
            "mini_batch_inertia": float(mb.inertia_),
            "mini_batch_labels": mb.labels_.tolist(),
            "mini_batch_silhouette": float(silhouette_score(x, mb.labels_)),
        })
    for name, label in PCA_DATASETS.items():
        x, _ = load(name, label)
        for n in (2, 0.9):
            case = {"dataset": name, "n_components": n}
            for solver in ("auto", "full"):
                p = PCA(n_components=n, svd_solver=solver, random_state=0).fit(x)
                case[solver] = {
                    "n_components": int(p.n_components_),
                    "explained_variance_ratio": p.explained_variance_ratio_.tolist(),
                    "transform_head": p.transform(x[:5]).tolist(),
                }
            fixtures["pca"].append(case)
    with open(os.path.join(HERE, "cluster_fixtures.json"), "w") as f:
        json.dump(fixtures, f)
        f.write("\n")


if __name__ == "__main__":
    main()
