"""pgml_bridge: the Python half of pgml's Python runtime.

This source is embedded into the Go package (go:embed) and runs in two places:
the training worker process (worker.py loads it and calls fit, describe,
predictions and dumps on numpy arrays it owns), and the interpreter embedded in
the backend for prediction (libpgml_python.so compiles it into the module
``pgml_bridge`` when the interpreter starts). In the embedded interpreter every
function is called by the C library with the GIL held, inside one C call
(rule 10 in docs/architecture.md). Buffers that refer to
caller (Go) memory arrive as ``memoryview`` objects valid only for that call;
the C side calls ``memoryview.release()`` afterwards, which fails if anything
here still holds a view, so no array created here may outlive the call unless
it was copied.
"""

import importlib
import json
import pickle
import sys
import warnings

import numpy as np
import scipy  # noqa: F401  (imported at start so its import runs with signals blocked)
import sklearn
import sklearn.base

# Convergence and deprecation warnings would otherwise go to the backend's
# stderr, i.e. the PostgreSQL server log, once per fit. pgml has no channel to
# return them to the client, so they are dropped.
warnings.simplefilter("ignore")

# algorithm -> (regressor, classifier, wrap_multioutput)
# The estimators are "module:Class" strings imported on first use, so that a
# backend that only uses linear models does not import sklearn.ensemble or
# xgboost. wrap_multioutput marks the estimators PostgresML wraps: with more
# than one target the regressor is wrapped in MultiOutputRegressor and the
# hyperparameters go to the inner estimator.
_LM = "sklearn.linear_model:"
_SVM = "sklearn.svm:"
_ENS = "sklearn.ensemble:"
_GP = "sklearn.gaussian_process:"
_ALGORITHMS = {
    "linear": (_LM + "LinearRegression", _LM + "LogisticRegression", False),
    "ridge": (_LM + "Ridge", _LM + "RidgeClassifier", False),
    "lasso": (_LM + "Lasso", None, False),
    "elastic_net": (_LM + "ElasticNet", None, False),
    "least_angle": (_LM + "Lars", None, False),
    "lasso_least_angle": (_LM + "LassoLars", None, False),
    "orthogonal_matching_pursuit": (_LM + "OrthogonalMatchingPursuit", None, False),
    # PostgresML 1.0's spelling.
    "orthoganl_matching_pursuit": (_LM + "OrthogonalMatchingPursuit", None, False),
    "bayesian_ridge": (_LM + "BayesianRidge", None, True),
    "automatic_relevance_determination": (_LM + "ARDRegression", None, True),
    "stochastic_gradient_descent": (_LM + "SGDRegressor", _LM + "SGDClassifier", True),
    "perceptron": (None, _LM + "Perceptron", False),
    "passive_aggressive": (
        _LM + "PassiveAggressiveRegressor",
        _LM + "PassiveAggressiveClassifier",
        True,
    ),
    "ransac": (_LM + "RANSACRegressor", None, False),
    "theil_sen": (_LM + "TheilSenRegressor", None, True),
    "huber": (_LM + "HuberRegressor", None, True),
    "quantile": (_LM + "QuantileRegressor", None, True),
    "kernel_ridge": ("sklearn.kernel_ridge:KernelRidge", None, False),
    "gaussian_process": (
        _GP + "GaussianProcessRegressor",
        _GP + "GaussianProcessClassifier",
        False,
    ),
    "svm": (_SVM + "SVR", _SVM + "SVC", True),
    "nu_svm": (_SVM + "NuSVR", _SVM + "NuSVC", True),
    "linear_svm": (_SVM + "LinearSVR", _SVM + "LinearSVC", True),
    "ada_boost": (_ENS + "AdaBoostRegressor", _ENS + "AdaBoostClassifier", True),
    "bagging": (_ENS + "BaggingRegressor", _ENS + "BaggingClassifier", False),
    "extra_trees": (_ENS + "ExtraTreesRegressor", _ENS + "ExtraTreesClassifier", False),
    "gradient_boosting_trees": (
        _ENS + "GradientBoostingRegressor",
        _ENS + "GradientBoostingClassifier",
        True,
    ),
    "hist_gradient_boosting": (
        _ENS + "HistGradientBoostingRegressor",
        _ENS + "HistGradientBoostingClassifier",
        False,
    ),
    "random_forest": (_ENS + "RandomForestRegressor", _ENS + "RandomForestClassifier", False),
    "xgboost": ("xgboost:XGBRegressor", "xgboost:XGBClassifier", False),
    "xgboost_random_forest": ("xgboost:XGBRFRegressor", "xgboost:XGBRFClassifier", False),
    "lightgbm": ("lightgbm:LGBMRegressor", "lightgbm:LGBMClassifier", True),
    "catboost": ("catboost:CatBoostRegressor", "catboost:CatBoostClassifier", False),
}

# The unsupervised tasks (PostgresML 2.x): task -> {algorithm: estimator}.
# They are fitted on x alone. Only estimators that can label or transform new
# rows are trainable; PostgresML's other names (dbscan, optics, spectral, …)
# have no predict and get "`<alg>` does not support clustering".
_CL = "sklearn.cluster:"
_UNSUPERVISED = {
    "clustering": {
        "kmeans": _CL + "KMeans",
        "mini_batch_kmeans": _CL + "MiniBatchKMeans",
        "affinity_propagation": _CL + "AffinityPropagation",
        "birch": _CL + "Birch",
        "mean_shift": _CL + "MeanShift",
    },
    "decomposition": {
        "pca": "sklearn.decomposition:PCA",
    },
}
_SUPERVISED = ("regression", "classification")

# Packages that are not part of the required set: a missing one is reported
# as "<package> is not installed: ...".
_OPTIONAL = ("xgboost", "lightgbm", "catboost")


def _class(path):
    module, name = path.split(":")
    try:
        mod = importlib.import_module(module)
    except ImportError as e:
        top = module.split(".")[0]
        if top in _OPTIONAL:
            raise ImportError("%s is not installed: %s" % (top, e)) from None
        raise
    return getattr(mod, name)


def algorithms():
    """JSON: {algorithm: [the tasks it can be trained for]}."""
    out = {}
    for k, v in _ALGORITHMS.items():
        out[k] = [t for t, p in zip(_SUPERVISED, v[:2]) if p is not None]
    for task, table in _UNSUPERVISED.items():
        for k in table:
            out.setdefault(k, []).append(task)
    return json.dumps(out)


def estimator(algorithm, task, hyperparams_json, n_targets):
    """Returns (unfitted estimator, effective hyperparameters as JSON).

    Follows PostgresML 1.0: the hyperparameters are the constructor's keyword
    arguments, and random_state=0 is added when the estimator has that
    parameter and the user gave none.
    """
    if task in _UNSUPERVISED:
        # The extension has already checked the name against PostgresML's list, so a name
        # missing here is one without an estimator for the task (e.g. dbscan, which has no
        # predict for new rows, or linear).
        entry = None
        path = _UNSUPERVISED[task].get(algorithm)
    elif task in _SUPERVISED:
        entry = _ALGORITHMS.get(algorithm)
        path = None
        if entry is not None:
            path = entry[0] if task == "regression" else entry[1]
        if path is not None and n_targets > 1 and task != "regression":
            raise ValueError("joint (multi-label) training is only supported for regression")
    else:
        raise ValueError("unknown task `%s`" % task)
    if path is None:
        raise ValueError("`%s` does not support %s" % (algorithm, task))
    params = json.loads(hyperparams_json) if hyperparams_json else {}
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise TypeError("hyperparams must be a JSON object, got %s" % type(params).__name__)
    cls = _class(path)
    if "random_state" not in params and "random_state" in cls().get_params():
        params["random_state"] = 0
    est = cls(**params)
    if n_targets > 1 and entry is not None and entry[2]:
        from sklearn.multioutput import MultiOutputRegressor

        est = MultiOutputRegressor(est)
    return est, json.dumps(params)


def _matrix(view, rows, cols, copy):
    a = np.frombuffer(view, dtype=np.float64)
    if a.size != rows * cols:
        raise ValueError("buffer holds %d values, want %d×%d" % (a.size, rows, cols))
    a = a.reshape(rows, cols)
    # np.array copies; the view over caller memory then dies with `a`.
    return np.array(a, copy=True) if copy else a


def fit(algorithm, task, hyperparams_json, x, y):
    """Builds and fits an estimator on numpy arrays: x is rows × cols, y rows ×
    targets (None for the unsupervised tasks, which are fitted on x alone).
    Returns (estimator, hyperparams JSON)."""
    if task in _UNSUPERVISED:
        est, effective = estimator(algorithm, task, hyperparams_json, 0)
        est.fit(x)
        return est, effective
    if y is None or y.shape[1] < 1:
        raise ValueError("%s needs labels" % task)
    est, effective = estimator(algorithm, task, hyperparams_json, y.shape[1])
    if y.shape[1] == 1:
        y = y.ravel()
    est.fit(x, y)
    return est, effective


def train(algorithm, task, hyperparams_json, x_view, rows, cols, y_view, y_cols):
    """fit over caller memory (the embedded interpreter). x and y are copied
    once (some estimators, e.g. KernelRidge, keep a reference to their
    training X without copying, which must not point into Go memory). The
    unsupervised tasks have no labels: y_view is None, y_cols 0.
    Returns (estimator, hyperparams JSON).
    """
    x = _matrix(x_view, rows, cols, True)
    y = None
    if task not in _UNSUPERVISED and y_view is not None and y_cols >= 1:
        y = _matrix(y_view, rows, y_cols, True)
    return fit(algorithm, task, hyperparams_json, x, y)


def dumps(est):
    """The model file: a pickle (protocol 5) of the fitted estimator."""
    return pickle.dumps(est, protocol=5)


def loads(data):
    """Unpickles a model. pickle runs arbitrary code: this is only ever given
    bytes that pgml itself wrote into pgml.models (never user input)."""
    return pickle.loads(data)


def _unwrap(est):
    inner = getattr(est, "estimator", None)
    if type(est).__name__ == "MultiOutputRegressor" and inner is not None:
        return inner
    return est


def _algorithm_of(est):
    cls = type(_unwrap(est))
    name = "%s:%s" % (cls.__module__, cls.__name__)
    short = cls.__name__
    paths = []
    for alg, (reg, clf, _) in _ALGORITHMS.items():
        if alg != "orthoganl_matching_pursuit":
            paths += [(alg, reg), (alg, clf)]
    for table in _UNSUPERVISED.values():
        paths += list(table.items())
    for alg, p in paths:
        if p is not None and (p == name or p.split(":")[1] == short):
            return alg
    return ""


def feature_importances(est):
    """(method, importances) of a tree estimator that has them, else None: scikit-learn's
    impurity-based feature_importances_, the gain of XGBoost and LightGBM (LightGBM's own
    default counts splits). Joint models (MultiOutputRegressor) and linear boosters have none:
    the analysis (lifecycle/analysis.go) then uses their coefficients or permutations."""
    module = type(est).__module__.split(".")[0]
    try:
        if module == "lightgbm":
            values = est.booster_.feature_importance(importance_type="gain")
            method = "gain"
        elif module == "xgboost":
            if est.get_params().get("booster") not in (None, "gbtree", "dart"):
                return None
            values = est.feature_importances_
            method = "gain"
        elif module == "sklearn":
            values = est.feature_importances_
            method = "impurity"
        else:
            return None
    except (AttributeError, ValueError, TypeError):  # not fitted as a tree model, or no such attribute
        return None
    return method, [float(v) for v in values]


def _is_clusterer(est):
    f = getattr(sklearn.base, "is_clusterer", None)  # scikit-learn >= 1.6
    if f is not None and f(est):
        return True
    return getattr(est, "_estimator_type", None) == "clusterer"


def _is_decomposition(est):
    """A fitted decomposition (PCA): transforms rows, predicts nothing."""
    return (
        not hasattr(est, "predict")
        and hasattr(est, "transform")
        and hasattr(est, "components_")
        and hasattr(est, "n_components_")
    )


def _task_of(est):
    if sklearn.base.is_classifier(est):
        return "classification"
    if _is_clusterer(est):
        return "clustering"
    if _is_decomposition(est):
        return "decomposition"
    return "regression"


def describe(est):
    """A dict describing a fitted estimator (what Go's Model needs)."""
    if not hasattr(est, "predict") and not _is_decomposition(est):
        raise TypeError("the pickle does not hold a model (got %s)" % type(est).__name__)
    task = _task_of(est)
    n_features = getattr(est, "n_features_in_", None)
    if n_features is None:
        raise ValueError("the estimator has no n_features_in_: not fitted?")
    n_features = int(n_features)
    d = {
        "algorithm": _algorithm_of(est),
        "task": task,
        "n_features": n_features,
        "n_outputs": 1,
        "classes": [],
        "predict_proba": False,
        "class": type(est).__module__ + "." + type(est).__name__,
        "explained_variance_ratio": [],
    }
    if task == "classification":
        d["classes"] = [float(c) for c in np.asarray(est.classes_, dtype=np.float64)]
        d["predict_proba"] = hasattr(est, "predict_proba")
    elif task == "decomposition":
        d["n_outputs"] = int(est.n_components_)
        evr = getattr(est, "explained_variance_ratio_", None)
        if evr is not None:
            d["explained_variance_ratio"] = [
                float(v) for v in np.asarray(evr, dtype=np.float64).reshape(-1)
            ]
    elif task == "regression":
        p = np.asarray(est.predict(np.zeros((1, n_features))))
        d["n_outputs"] = 1 if p.ndim < 2 else int(p.shape[1])
    # clustering: one cluster index per row.
    return d


# The native forms (issue 11): the parameters of a fitted estimator from which pgml predicts
# without Python (algorithms/linear/exported.go), checked in Go against this estimator's own
# predictions before they are trusted (lifecycle/nativeform.go).
_LINEAR_EXPORTABLE = {
    "linear", "ridge", "lasso", "elastic_net", "least_angle", "lasso_least_angle",
    "orthogonal_matching_pursuit", "bayesian_ridge", "automatic_relevance_determination",
    "stochastic_gradient_descent", "perceptron", "passive_aggressive", "huber", "quantile",
    "ransac", "theil_sen", "linear_svm",
}


# The parameters travel in the reply's JSON header, which the backend bounds (maxHeaderBytes in
# protocol.go, 64 MB): at most 25 bytes a value, this keeps them well inside it.
_EXPORT_MAX_VALUES = 1 << 20


def _linear_parameters(est):
    """coef_ as scores × features and intercept_ as one value per score."""
    if type(est).__name__ == "RANSACRegressor":
        est = est.estimator_  # RANSAC predicts with the estimator refitted on its inliers
    coef = np.asarray(est.coef_, dtype=np.float64)
    if coef.ndim == 1:
        coef = coef.reshape(1, -1)
    intercept = np.asarray(getattr(est, "intercept_", 0.0), dtype=np.float64).reshape(-1)
    if intercept.size == 1 and coef.shape[0] > 1:
        intercept = np.repeat(intercept, coef.shape[0])
    return coef, intercept


def _probabilities_form(est):
    """How scikit-learn turns this classifier's scores into probabilities, or None when it
    does so in a way pgml has no native form for."""
    if not hasattr(est, "predict_proba"):  # available_if: hinge-loss SGD has none
        return "none"
    name = type(est).__name__
    if name == "LogisticRegression":
        # LogisticRegression.predict_proba's own rule (scikit-learn 1.2 to 1.6).
        multi_class = getattr(est, "multi_class", "auto")
        ovr = multi_class in ("ovr", "warn") or (
            multi_class in ("auto", "deprecated")
            and (len(est.classes_) <= 2 or est.solver == "liblinear")
        )
        return "ovr" if ovr else "softmax"
    if name == "SGDClassifier" and est.loss in ("log_loss", "log"):
        return "ovr"
    if name == "SGDClassifier" and est.loss == "modified_huber":
        return "modified_huber"
    return None


def export_native(est, algorithm):
    """The native form of a fitted estimator: {"linear": {...}} with the parameters of a
    linear model, or {"reason": ...} saying why there is none."""
    if algorithm == "orthoganl_matching_pursuit":
        algorithm = "orthogonal_matching_pursuit"
    if algorithm in _TREE_EXPORTABLE:
        return export_trees(est, algorithm)
    if algorithm in _XGBOOST_EXPORTABLE:
        return export_xgboost(est, algorithm)
    if algorithm in _KERNEL_EXPORTABLE:
        return export_kernels(est, algorithm)
    if algorithm in _CENTRES_EXPORTABLE or algorithm == "pca":
        return export_unsupervised(est, algorithm)
    if algorithm not in _LINEAR_EXPORTABLE:
        return {"reason": "%s has no native form yet" % (algorithm or type(est).__name__)}
    n_features = int(est.n_features_in_)
    classes = []
    probabilities = "none"
    if sklearn.base.is_classifier(est):
        probabilities = _probabilities_form(est)
        if probabilities is None:
            return {"reason": "the probabilities of %s with these hyperparameters have no native form"
                    % type(est).__name__}
        classes = [float(c) for c in np.asarray(est.classes_, dtype=np.float64)]
        coef, intercept = _linear_parameters(est)
    elif type(est).__name__ == "MultiOutputRegressor":
        parts = [_linear_parameters(e) for e in est.estimators_]
        coef = np.vstack([c for c, _ in parts])
        intercept = np.concatenate([i for _, i in parts])
    else:
        coef, intercept = _linear_parameters(est)
    if coef.shape[1] != n_features or intercept.shape[0] != coef.shape[0]:
        return {"reason": "%s has coefficients of shape %s for %d features"
                % (type(est).__name__, coef.shape, n_features)}
    if coef.size > _EXPORT_MAX_VALUES:
        return {"reason": "%s has %d coefficients, more than pgml exports (%d)"
                % (type(est).__name__, coef.size, _EXPORT_MAX_VALUES)}
    if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))):
        return {"reason": "%s has non-finite coefficients" % type(est).__name__}
    # JSON floats are written with repr: they read back as the same float64 values.
    return {"linear": {
        "algorithm": algorithm,
        "n_features": n_features,
        "coef": [float(v) for v in coef.reshape(-1)],
        "intercept": [float(v) for v in intercept],
        "classes": classes,
        "probabilities": probabilities,
    }}


# --- The native forms of tree models (algorithms/sklearntrees) ---------------------------------
# The exported arrays are numpy arrays: the worker sends them as binary blocks of the fit reply
# (worker.py _native_blocks), not in its JSON header. Every value a leaf adds to a row's margins
# is computed here with numpy exactly as scikit-learn computes it at predict time (class
# fractions, learning_rate × value, SAMME's log-ratios), so that Go only sums and combines.
_TREE_EXPORTABLE = {
    "random_forest", "extra_trees", "gradient_boosting_trees", "hist_gradient_boosting",
    "bagging", "ada_boost",
}

# Bounds the exported arrays (they are copied into the fit reply, then into the stored model):
# a model above it keeps predicting through Python, with this reason recorded.
_EXPORT_MAX_BYTES = 1 << 30


class _TreeArrays:
    """Trees appended into one set of node arrays (children indexed across all trees), each
    node with a vector of `width` values added to the margins from tree_output on."""

    def __init__(self, width):
        self.width = width
        self.parts = []
        self.roots = []
        self.outputs = []
        self.nodes = 0

    def add(self, feature, threshold, left, right, missing, values, output):
        leaf = left < 0
        offset = self.nodes
        shift = np.where(leaf, -1, offset).astype(np.int64)
        self.parts.append((
            np.where(leaf, 0, feature).astype(np.int32),
            np.where(leaf, 0.0, threshold).astype(np.float64),
            np.where(leaf, -1, left + shift).astype(np.int32),
            np.where(leaf, -1, right + shift).astype(np.int32),
            np.where(leaf, -1, missing + shift).astype(np.int32),
            np.ascontiguousarray(values, dtype=np.float64).reshape(len(left), self.width),
        ))
        self.roots.append(offset)
        self.outputs.append(output)
        self.nodes += len(left)

    def add_sklearn_tree(self, tree, values, output, features=None):
        """A sklearn.tree._tree.Tree: x <= threshold goes left, NaN right (it has no missing
        values; x is float32 there). features maps the tree's columns to the model's (bagging)."""
        feature = tree.feature
        if features is not None:
            feature = np.asarray(features)[np.maximum(feature, 0)]
        right = tree.children_right
        self.add(feature, tree.threshold, tree.children_left, right, right, values, output)

    def add_hist_predictor(self, predictor, output):
        """A histogram gradient boosting TreePredictor (x in float64, its own missing direction)."""
        nodes = predictor.nodes
        if np.any(nodes["is_categorical"] & ~nodes["is_leaf"].astype(bool)):
            raise _NoTreeForm("categorical splits have no native form yet")
        left = np.where(nodes["is_leaf"].astype(bool), -1, nodes["left"].astype(np.int64))
        right = nodes["right"].astype(np.int64)
        missing = np.where(nodes["missing_go_to_left"].astype(bool), left, right)
        self.add(nodes["feature_idx"], nodes["num_threshold"], left, right, missing, nodes["value"], output)

    def export(self, algorithm, combine, cast_float32, n_features, init, scale=1.0, classes=(),
               tree_weight=None):
        init = np.asarray(init, dtype=np.float64).reshape(-1)
        columns = [np.concatenate([p[i] for p in self.parts]) if self.parts else np.zeros(0)
                   for i in range(6)]
        feature, threshold, left, right, missing, values = columns
        weights = {} if tree_weight is None else {"tree_weight": np.asarray(tree_weight, dtype=np.float64)}
        return {"trees": dict(weights, **{
            "algorithm": algorithm, "combine": combine, "cast_float32": bool(cast_float32),
            "n_features": int(n_features), "width": self.width, "scale": float(scale),
            "init": [float(v) for v in init], "classes": [float(c) for c in classes],
            "feature": feature.astype(np.int32), "threshold": threshold.astype(np.float64),
            "left": left.astype(np.int32), "right": right.astype(np.int32),
            "missing": missing.astype(np.int32), "values": values.astype(np.float64).reshape(-1),
            "roots": np.asarray(self.roots, dtype=np.int32),
            "tree_output": np.asarray(self.outputs, dtype=np.int32),
        })}


class _NoTreeForm(Exception):
    """The fitted model has no native tree form; the message says why."""


def _tree_bytes(trees, width):
    """The exported arrays' size: 24 bytes a node and its vector of values."""
    return sum(int(t.node_count) for t in trees) * (24 + 8 * width)


def _check_tree_size(nbytes, est):
    if nbytes > _EXPORT_MAX_BYTES:
        raise _NoTreeForm("its trees take %d MB, more than pgml exports (%d MB)"
                          % (nbytes >> 20, _EXPORT_MAX_BYTES >> 20))


def _class_fractions(tree, n_classes, columns=None):
    """DecisionTreeClassifier.predict_proba of every node: its class counts normalized as
    scikit-learn does, placed at columns (the tree's classes among the model's)."""
    proba = np.array(tree.value[:, 0, :n_classes if columns is None else len(columns)], dtype=np.float64)
    normalizer = proba.sum(axis=1)[:, np.newaxis]
    normalizer[normalizer == 0.0] = 1.0
    proba /= normalizer
    if columns is None:
        return proba
    out = np.zeros((proba.shape[0], n_classes))
    out[:, columns] = proba
    return out


def _export_forest(est, algorithm):
    trees = [e.tree_ for e in est.estimators_]
    if sklearn.base.is_classifier(est):
        if est.n_outputs_ != 1:
            raise _NoTreeForm("multi-output classification has no native form")
        k = len(est.classes_)
        _check_tree_size(_tree_bytes(trees, k), est)
        arrays = _TreeArrays(k)
        for t in trees:
            arrays.add_sklearn_tree(t, _class_fractions(t, k), 0)
        return arrays.export(algorithm, "mean_probability", True, est.n_features_in_, np.zeros(k),
                             len(trees), est.classes_)
    k = int(est.n_outputs_)
    _check_tree_size(_tree_bytes(trees, k), est)
    arrays = _TreeArrays(k)
    for t in trees:
        arrays.add_sklearn_tree(t, t.value[:, :, 0], 0)
    return arrays.export(algorithm, "mean", True, est.n_features_in_, np.zeros(k), len(trees))


def _export_bagging(est, algorithm):
    tree_types = ("DecisionTreeRegressor", "DecisionTreeClassifier", "ExtraTreeRegressor",
                  "ExtraTreeClassifier")
    if any(type(e).__name__ not in tree_types for e in est.estimators_):
        raise _NoTreeForm("only bagged decision trees have a native form")
    trees = [e.tree_ for e in est.estimators_]
    if sklearn.base.is_classifier(est):
        k = len(est.classes_)
        _check_tree_size(_tree_bytes(trees, k), est)
        arrays = _TreeArrays(k)
        for e, features in zip(est.estimators_, est.estimators_features_):
            columns = None if len(e.classes_) == k else np.asarray(e.classes_, dtype=np.int64)
            arrays.add_sklearn_tree(e.tree_, _class_fractions(e.tree_, k, columns), 0, features)
        return arrays.export(algorithm, "mean_probability", True, est.n_features_in_, np.zeros(k),
                             est.n_estimators, est.classes_)
    k = int(est.estimators_[0].n_outputs_)
    _check_tree_size(_tree_bytes(trees, k), est)
    arrays = _TreeArrays(k)
    for e, features in zip(est.estimators_, est.estimators_features_):
        arrays.add_sklearn_tree(e.tree_, e.tree_.value[:, :, 0], 0, features)
    return arrays.export(algorithm, "mean", True, est.n_features_in_, np.zeros(k), est.n_estimators)


_GB_COMBINE = {"BinomialDeviance": "logistic", "MultinomialDeviance": "log_sum_exp",
               "ExponentialLoss": "exponential"}


def _add_gradient_boosting(est, arrays, output):
    """est's stages added to arrays from margin output on; returns its initial margins."""
    init = est.init_
    if not (isinstance(init, str) and init == "zero") and type(init).__name__ not in (
            "DummyRegressor", "DummyClassifier"):
        raise _NoTreeForm("an init estimator other than the default has no native form")
    lr = float(est.learning_rate)
    for stage in est.estimators_:
        for k, tree in enumerate(stage):
            arrays.add_sklearn_tree(tree.tree_, lr * tree.tree_.value[:, 0, 0], output + k)
    # The default init estimators predict a constant: the margins of any row.
    return est._raw_predict_init(np.zeros((1, est.n_features_in_), dtype=np.float32))[0]


def _export_gradient_boosting(est, algorithm):
    if type(est).__name__ == "MultiOutputRegressor":
        parts = est.estimators_
        arrays = _TreeArrays(1)
        _check_tree_size(sum(_tree_bytes([t.tree_ for t in p.estimators_.ravel()], 1) for p in parts), est)
        init = [_add_gradient_boosting(p, arrays, o)[0] for o, p in enumerate(parts)]
        return arrays.export(algorithm, "raw", True, est.n_features_in_, init)
    _check_tree_size(_tree_bytes([t.tree_ for t in est.estimators_.ravel()], 1), est)
    arrays = _TreeArrays(1)
    init = _add_gradient_boosting(est, arrays, 0)
    if not sklearn.base.is_classifier(est):
        return arrays.export(algorithm, "raw", True, est.n_features_in_, init)
    combine = _GB_COMBINE.get(type(est._loss).__name__)
    if combine is None:
        raise _NoTreeForm("the %s loss has no native form" % type(est._loss).__name__)
    return arrays.export(algorithm, combine, True, est.n_features_in_, init, 1.0, est.classes_)


_HGB_COMBINE = {"IdentityLink": "raw", "LogLink": "raw_exp", "LogitLink": "logistic",
                "MultinomialLogit": "softmax"}


def _export_hist_gradient_boosting(est, algorithm):
    nbytes = sum(p.nodes.shape[0] for stage in est._predictors for p in stage) * 32
    _check_tree_size(nbytes, est)
    combine = _HGB_COMBINE.get(type(est._loss.link).__name__)
    if combine is None:
        raise _NoTreeForm("the %s link has no native form" % type(est._loss.link).__name__)
    arrays = _TreeArrays(1)
    for stage in est._predictors:
        for k, predictor in enumerate(stage):
            arrays.add_hist_predictor(predictor, k)
    classes = est.classes_ if sklearn.base.is_classifier(est) else ()
    return arrays.export(algorithm, combine, False, est.n_features_in_,
                         est._baseline_prediction, 1.0, classes)


def _samme_r_values(tree, k):
    """_samme_proba of every node (AdaBoostClassifier's SAMME.R)."""
    proba = _class_fractions(tree, k)
    np.clip(proba, np.finfo(proba.dtype).eps, None, out=proba)
    log_proba = np.log(proba)
    return (k - 1) * (log_proba - (1.0 / k) * log_proba.sum(axis=1)[:, np.newaxis])


def _export_ada_boost_regressor(est, algorithm):
    """AdaBoostRegressor (one per output of a MultiOutputRegressor): the weighted median of its
    trees' predictions, each tree weighing its estimator_weights_."""
    parts = est.estimators_ if type(est).__name__ == "MultiOutputRegressor" else [est]
    trees = []
    for part in parts:
        if any(type(e).__name__ != "DecisionTreeRegressor" for e in part.estimators_):
            raise _NoTreeForm("only boosted decision trees have a native form")
        trees += [e.tree_ for e in part.estimators_]
    _check_tree_size(_tree_bytes(trees, 1) + 8 * len(trees), est)
    arrays = _TreeArrays(1)
    weights = []
    for o, part in enumerate(parts):
        # A boosting that stopped early has fewer trees than weights: the trees predict.
        weights.append(np.asarray(part.estimator_weights_[:len(part.estimators_)], dtype=np.float64))
        for e in part.estimators_:
            arrays.add_sklearn_tree(e.tree_, e.tree_.value[:, 0, 0], o)
    return arrays.export(algorithm, "weighted_median", True, est.n_features_in_, np.zeros(len(parts)),
                         tree_weight=np.concatenate(weights))


def _export_ada_boost(est, algorithm):
    if not sklearn.base.is_classifier(est):
        return _export_ada_boost_regressor(est, algorithm)
    if any(type(e).__name__ != "DecisionTreeClassifier" for e in est.estimators_):
        raise _NoTreeForm("only boosted decision trees have a native form")
    k = len(est.classes_)
    if k < 2 or any(e.n_classes_ != k for e in est.estimators_):
        raise _NoTreeForm("trees that saw only some of the classes have no native form")
    trees = [e.tree_ for e in est.estimators_]
    _check_tree_size(_tree_bytes(trees, k), est)
    arrays = _TreeArrays(k)
    for tree, w in zip(trees, est.estimator_weights_):
        if est.algorithm == "SAMME.R":
            values = _samme_r_values(tree, k)
        else:
            votes = np.argmax(tree.value[:, 0, :k], axis=1)
            values = (votes[:, np.newaxis] == np.arange(k)[np.newaxis, :]) * w
        arrays.add_sklearn_tree(tree, values, 0)
    return arrays.export(algorithm, "ada_boost", True, est.n_features_in_, np.zeros(k),
                         est.estimator_weights_.sum(), est.classes_)


_TREE_EXPORTERS = {
    "random_forest": _export_forest,
    "extra_trees": _export_forest,
    "bagging": _export_bagging,
    "gradient_boosting_trees": _export_gradient_boosting,
    "hist_gradient_boosting": _export_hist_gradient_boosting,
    "ada_boost": _export_ada_boost,
}


def export_trees(est, algorithm):
    """The native form of a fitted tree model: {"trees": {...}} (numpy arrays among its
    values), or {"reason": ...} saying why there is none."""
    try:
        return _TREE_EXPORTERS[algorithm](est, algorithm)
    except _NoTreeForm as e:
        return {"reason": "%s: %s" % (type(est).__name__, e)}
    except MemoryError:
        # The fit itself succeeded: without its native form the model predicts through Python.
        return {"reason": "%s: exporting its trees needed more memory than the worker may use"
                % type(est).__name__}


# --- The native forms of XGBoost models (xgboost/saved.go) ---------------------------------------
# The booster travels as XGBoost saves it (UBJSON, one block of the fit reply): Go reads it as it
# reads the go runtime's own xgboost models (algorithms/treeensemble/xgboostmodel.go).
_XGBOOST_EXPORTABLE = {"xgboost", "xgboost_random_forest"}


def export_xgboost(est, algorithm):
    """The native form of a fitted XGBRegressor or XGBClassifier (or their random forests):
    {"xgboost": {...}} with the saved booster among its values, or {"reason": ...}."""
    booster = est.get_booster()
    if getattr(est, "best_iteration", None) is not None and booster.num_boosted_rounds() != est.best_iteration + 1:
        return {"reason": "%s: it predicts with the trees up to its best iteration only, which has no native form"
                % type(est).__name__}
    raw = booster.save_raw("ubj")
    if len(raw) > _EXPORT_MAX_BYTES:
        return {"reason": "%s: its booster takes %d MB, more than pgml exports (%d MB)"
                % (type(est).__name__, len(raw) >> 20, _EXPORT_MAX_BYTES >> 20)}
    n_features = int(est.n_features_in_)
    classes = []
    n_targets = 1
    if sklearn.base.is_classifier(est):
        classes = [float(c) for c in np.asarray(est.classes_, dtype=np.float64)]
    else:
        p = np.asarray(est.predict(np.zeros((1, n_features))))
        n_targets = 1 if p.ndim < 2 else int(p.shape[1])
    return {"xgboost": {
        "algorithm": algorithm, "n_features": n_features, "n_targets": n_targets, "classes": classes,
        "booster": np.frombuffer(bytes(raw), dtype=np.uint8),
    }}


# --- The native forms of kernel models (algorithms/sklearnkernels) -------------------------------
# Each is a kernel expansion Σᵢ k(x, pointᵢ)·coefᵢ + intercept over points it kept from its
# training rows; the points and coefficients travel as blocks like the trees' arrays.
_KERNEL_EXPORTABLE = {"svm", "nu_svm", "kernel_ridge", "gaussian_process"}


class _NoKernelForm(Exception):
    """The fitted model has no native kernel form; the message says why."""


def _check_export_size(*arrays):
    _check_export_values(sum(np.asarray(a).size for a in arrays))


def _check_export_values(count):
    nbytes = count * 8
    if nbytes > _EXPORT_MAX_BYTES:
        raise _NoKernelForm("its parameters take %d MB, more than pgml exports (%d MB)"
                            % (nbytes >> 20, _EXPORT_MAX_BYTES >> 20))


def _expansion(kernel, gamma, coef0, degree, points, coef, intercept, output, width, amplitude=1.0):
    points = np.ascontiguousarray(points, dtype=np.float64)
    coef = np.ascontiguousarray(coef, dtype=np.float64)
    _check_export_size(points, coef)
    return {"kernel": kernel, "gamma": float(gamma), "coef0": float(coef0), "degree": float(degree),
            "amplitude": float(amplitude), "output": int(output), "width": int(width),
            "points": points, "coef": coef,
            "intercept": [float(v) for v in np.asarray(intercept, dtype=np.float64).reshape(-1)]}


def _libsvm_expansion(est, output):
    """A fitted libsvm estimator (SVR, NuSVR, SVC, NuSVC) as scikit-learn predicts with it:
    its _dual_coef_ (libsvm's sv_coef) and _intercept_ (−rho), not the public attributes
    whose signs a binary classifier flips."""
    if callable(est.kernel) or est.kernel not in ("linear", "poly", "rbf", "sigmoid"):
        raise _NoKernelForm("the %s kernel has no native form" % est.kernel)
    if getattr(est, "_sparse", False):
        raise _NoKernelForm("a model fitted on sparse rows has no native form")
    coef = np.asarray(est._dual_coef_, dtype=np.float64)
    return _expansion(est.kernel, est._gamma, est.coef0, est.degree, est.support_vectors_,
                      coef, est._intercept_, output, coef.shape[0] if sklearn.base.is_classifier(est) else 1)


def _export_svm(est, algorithm):
    n_features = int(est.n_features_in_)
    if type(est).__name__ == "MultiOutputRegressor":
        parts = [_libsvm_expansion(e, o) for o, e in enumerate(est.estimators_)]
        k = len(parts)
        return {"algorithm": algorithm, "n_features": n_features, "expansions": parts,
                "scale": [1.0] * k, "offset": [0.0] * k}
    if not sklearn.base.is_classifier(est):
        return {"algorithm": algorithm, "n_features": n_features, "expansions": [_libsvm_expansion(est, 0)],
                "scale": [1.0], "offset": [0.0]}
    classes = np.asarray(est.classes_, dtype=np.float64)
    if est.break_ties and est.decision_function_shape == "ovr" and len(classes) > 2:
        raise _NoKernelForm("break_ties predicts by the one-vs-rest decision function, which has no native form")
    prob_a = np.asarray(getattr(est, "_probA", np.zeros(0)), dtype=np.float64).reshape(-1)
    prob_b = np.asarray(getattr(est, "_probB", np.zeros(0)), dtype=np.float64).reshape(-1)
    return {"algorithm": algorithm, "n_features": n_features, "expansions": [_libsvm_expansion(est, 0)],
            "classes": [float(c) for c in classes],
            "support_count": [int(n) for n in np.asarray(est._n_support).reshape(-1)],
            "prob_a": prob_a if hasattr(est, "predict_proba") else np.zeros(0),
            "prob_b": prob_b if hasattr(est, "predict_proba") else np.zeros(0)}


def _export_kernel_ridge(est, algorithm):
    kernel = est.kernel
    if callable(kernel) or kernel not in ("linear", "poly", "polynomial", "rbf", "laplacian", "sigmoid",
                                           "cosine", "chi2", "additive_chi2"):
        raise _NoKernelForm("the %s kernel has no native form" % kernel)
    n_features = int(est.n_features_in_)
    gamma = est.gamma
    if gamma is None:  # pairwise_kernels' default, which KernelRidge leaves to it
        gamma = 1.0 / n_features
    coef = np.asarray(est.dual_coef_, dtype=np.float64)
    width = 1 if coef.ndim == 1 else coef.shape[1]
    part = _expansion("poly" if kernel == "polynomial" else kernel, gamma, est.coef0, est.degree,
                      est.X_fit_, coef, np.zeros(width), 0, width)
    return {"algorithm": algorithm, "n_features": n_features, "expansions": [part],
            "scale": [1.0] * width, "offset": [0.0] * width}


def _rbf_of(kernel, est):
    """(gamma, amplitude) of the kernel pgml's hyperparameters give a Gaussian process,
    ConstantKernel × RBF (or a bare RBF) with one length scale."""
    amplitude = 1.0
    if type(kernel).__name__ == "Product" and type(kernel.k1).__name__ == "ConstantKernel":
        kernel, amplitude = kernel.k2, kernel.k1.constant_value
    if type(kernel).__name__ != "RBF" or np.ndim(kernel.length_scale) != 0:
        raise _NoKernelForm("the kernel %s has no native form" % est.kernel_)
    return 0.5 / float(kernel.length_scale) ** 2, amplitude


def _laplace_machine(binary, est):
    """One _BinaryGaussianProcessClassifierLaplace: its latent mean at x is
    Σᵢ k(x, X_train_ᵢ)·(y_train_ − pi_)ᵢ, and its latent variance k(x, x) − |v|² with
    v = L_⁻¹ (W_sr_ ∘ k(X_train_, x)) (its predict_proba, Algorithm 3.2 of GPML). L_ travels
    as its lower triangle, packed row by row."""
    gamma, amplitude = _rbf_of(binary.kernel_, est)
    n = binary.X_train_.shape[0]
    coef = np.asarray(binary.y_train_, dtype=np.float64) - np.asarray(binary.pi_, dtype=np.float64)
    lower = np.asarray(binary.L_, dtype=np.float64)[np.tril_indices(n)]
    w_sr = np.ascontiguousarray(binary.W_sr_, dtype=np.float64)
    return (_expansion("rbf", gamma, 0.0, 0.0, binary.X_train_, coef, [0.0], 0, 1, amplitude),
            {"w_sr": w_sr, "lower": np.ascontiguousarray(lower)})


def _export_gaussian_process_classifier(est, algorithm):
    base = est.base_estimator_
    if len(est.classes_) == 2:
        binaries = [base]
    elif type(base).__name__ == "OneVsRestClassifier":
        binaries = base.estimators_
    else:
        raise _NoKernelForm("the %s multi-class mode has no native form" % est.multi_class)
    for b in binaries:
        if type(b).__name__ != "_BinaryGaussianProcessClassifierLaplace":
            raise _NoKernelForm("a one-vs-rest part %s has no native form" % type(b).__name__)
    # Every part's triangle, rows, coefficients and W_sr_, counted before any is copied.
    _check_export_values(sum(b.L_.shape[0] * (b.L_.shape[0] + 5) // 2 + np.size(b.X_train_) for b in binaries))
    parts = [_laplace_machine(b, est) for b in binaries]
    return {"algorithm": algorithm, "n_features": int(est.n_features_in_),
            "expansions": [e for e, _ in parts], "laplace": [f for _, f in parts],
            "classes": [float(c) for c in np.asarray(est.classes_, dtype=np.float64)]}


def _export_gaussian_process(est, algorithm):
    if sklearn.base.is_classifier(est):
        return _export_gaussian_process_classifier(est, algorithm)
    gamma, amplitude = _rbf_of(est.kernel_, est)
    n_features = int(est.n_features_in_)
    alpha = np.asarray(est.alpha_, dtype=np.float64)
    width = 1 if alpha.ndim == 1 else alpha.shape[1]
    part = _expansion("rbf", gamma, 0.0, 0.0, est.X_train_, alpha, np.zeros(width), 0, width, amplitude)
    scale = np.broadcast_to(np.asarray(est._y_train_std, dtype=np.float64), (width,))
    offset = np.broadcast_to(np.asarray(est._y_train_mean, dtype=np.float64), (width,))
    return {"algorithm": algorithm, "n_features": n_features, "expansions": [part],
            "scale": [float(v) for v in scale], "offset": [float(v) for v in offset]}


_KERNEL_EXPORTERS = {
    "svm": _export_svm,
    "nu_svm": _export_svm,
    "kernel_ridge": _export_kernel_ridge,
    "gaussian_process": _export_gaussian_process,
}


def export_kernels(est, algorithm):
    """The native form of a fitted kernel model: {"kernels": {...}} (numpy arrays among its
    values), or {"reason": ...} saying why there is none."""
    try:
        return {"kernels": _KERNEL_EXPORTERS[algorithm](est, algorithm)}
    except _NoKernelForm as e:
        return {"reason": "%s: %s" % (type(est).__name__, e)}
    except MemoryError:
        return {"reason": "%s: exporting its parameters needed more memory than the worker may use"
                % type(est).__name__}


# --- The native forms of clusterers and PCA (algorithms/cluster, algorithms/decomposition) -----
# A clusterer labels a row by its nearest centre: KMeans, MiniBatchKMeans, AffinityPropagation
# and MeanShift by the centre's index, Birch by the label of its nearest subcluster.
_CENTRES_EXPORTABLE = {"kmeans", "mini_batch_kmeans", "affinity_propagation", "mean_shift", "birch"}


def export_unsupervised(est, algorithm):
    """{"centres": {...}} of a clusterer, {"pca": {...}} of a PCA, or {"reason": ...}."""
    n_features = int(est.n_features_in_)
    if algorithm == "pca":
        components = np.ascontiguousarray(est.components_, dtype=np.float64)
        if components.size * 8 > _EXPORT_MAX_BYTES:
            return {"reason": "PCA: its components take more than pgml exports"}
        return {"pca": {
            "n_features": n_features, "mean": np.asarray(est.mean_, dtype=np.float64).reshape(-1),
            "components": components,
            "explained_variance": np.asarray(est.explained_variance_, dtype=np.float64).reshape(-1),
            "explained_variance_ratio": np.asarray(est.explained_variance_ratio_, dtype=np.float64).reshape(-1),
            "whiten": bool(est.whiten)}}
    labels = None
    if algorithm == "birch":
        centres, labels = est.subcluster_centers_, est.subcluster_labels_
    else:
        centres = est.cluster_centers_
    centres = np.ascontiguousarray(centres, dtype=np.float64).reshape(-1, n_features)
    if centres.size * 8 > _EXPORT_MAX_BYTES:
        return {"reason": "%s: its centres take more than pgml exports" % type(est).__name__}
    out = {"algorithm": algorithm, "n_features": n_features, "centres": centres.reshape(-1)}
    if labels is not None:
        out["labels"] = np.asarray(labels, dtype=np.float64).reshape(-1)
    return {"centres": out}


def info(est):
    """JSON description of a fitted estimator."""
    return json.dumps(describe(est))


def predictions(est, x, proba):
    """Predictions of x (rows × outputs float64) or probabilities (rows ×
    classes, in est.classes_ order): the label or value for supervised
    models, the cluster index for clusterers, the transformed row
    (n_components_ values) for a decomposition."""
    if proba:
        p = est.predict_proba(x)
    elif hasattr(est, "predict"):
        p = est.predict(x)
    else:
        p = est.transform(x)
    return np.ascontiguousarray(np.asarray(p, dtype=np.float64).reshape(x.shape[0], -1))


def predict(est, x_view, rows, cols, out_view, proba):
    """predictions into caller memory (the embedded interpreter). Zero-copy:
    x is a read-only numpy view of the caller's memory and out_view is the
    caller's destination."""
    p = predictions(est, _matrix(x_view, rows, cols, False), proba)
    out = np.frombuffer(out_view, dtype=np.float64)
    if p.size != out.size:
        raise ValueError(
            "prediction has %d values, destination holds %d" % (p.size, out.size)
        )
    out[:] = p.reshape(-1)


def package_version(name):
    """The __version__ of an importable package (imports it)."""
    try:
        mod = importlib.import_module(name)
    except ImportError as e:
        if name in _OPTIONAL:
            raise ImportError("%s is not installed: %s" % (name, e)) from None
        raise
    return str(getattr(mod, "__version__", "unknown"))


def python_version():
    """sys.version, as PostgresML 2.x's pgml.python_version() returns it."""
    return sys.version


def pip_freeze():
    """JSON list of "name==version", one per installed distribution.

    Read with importlib.metadata from sys.path, the way ``pip freeze --all``
    lists them (pip is not needed): the first distribution found for a name
    wins, sorted case-insensitively by name.
    """
    from importlib import metadata

    seen = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        key = name.lower().replace("_", "-").replace(".", "-")
        if key not in seen:
            seen[key] = "%s==%s" % (name, dist.version)
    return json.dumps([seen[k] for k in sorted(seen)])


def activate_venv(venv):
    """Adds a virtualenv's site-packages to sys.path, ahead of the system's.

    "false" when <venv>/bin/activate_this.py does not exist (PostgresML 2.x
    returns false then too). Otherwise adds
    <venv>/lib/python<X.Y>/site-packages of the running interpreter's version
    with site.addsitedir (so its .pth files are processed), moves the new
    entries to the front as virtualenv's activate_this.py does, and returns
    "true". Modules imported before (numpy, scipy, sklearn, ...) stay the
    system's ones. Unlike activate_this.py, the process environment (PATH,
    VIRTUAL_ENV) and sys.prefix are left alone.
    """
    import glob
    import os
    import site

    venv = os.path.abspath(venv)
    if not os.path.isfile(os.path.join(venv, "bin", "activate_this.py")):
        return "false"
    version = "python%d.%d" % sys.version_info[:2]
    packages = os.path.join(venv, "lib", version, "site-packages")
    if not os.path.isdir(packages):
        found = sorted(glob.glob(os.path.join(venv, "lib", "python*", "site-packages")))
        raise ValueError(
            "%s has no lib/%s/site-packages for the embedded Python %d.%d%s"
            % (
                venv,
                version,
                sys.version_info[0],
                sys.version_info[1],
                " (it has %s)" % ", ".join(found) if found else "",
            )
        )
    before = list(sys.path)
    site.addsitedir(packages)
    added = [p for p in sys.path if p not in before]
    sys.path[:] = added + [p for p in sys.path if p not in added]
    importlib.invalidate_caches()
    return "true"


def versions():
    """JSON: {package: version or "missing: <error>"}."""
    out = {"python": sys.version.split()[0]}
    for name in ("numpy", "scipy", "sklearn", "xgboost", "lightgbm", "catboost"):
        try:
            out[name] = package_version(name)
        except Exception as e:  # noqa: BLE001
            out[name] = "missing: %s: %s" % (type(e).__name__, e)
    return json.dumps(out)


def long_running_python_loop(seconds):
    """Test helper: a pure-Python loop (interruptible between bytecodes)."""
    import time

    end = time.monotonic() + float(seconds)
    n = 0
    while time.monotonic() < end:
        n += 1
    return str(n)


def module_file(name):
    """Test helper: where a module was imported from."""
    return str(getattr(importlib.import_module(name), "__file__", ""))
