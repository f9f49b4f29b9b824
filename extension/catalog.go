package main

import (
	"slices"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
)

// knownAlgorithms are PostgresML's algorithm names (the 2.x enum labels); a name outside this
// list is a typo, a name inside it may still be unavailable in this build.
var knownAlgorithms = []string{
	"linear", "xgboost", "xgboost_random_forest", "svm", "lasso", "elastic_net", "ridge", "kmeans",
	"dbscan", "knn", "random_forest", "least_angle", "lasso_least_angle", "orthogonal_matching_pursuit",
	"bayesian_ridge", "automatic_relevance_determination", "stochastic_gradient_descent", "perceptron",
	"passive_aggressive", "ransac", "theil_sen", "huber", "quantile", "kernel_ridge", "gaussian_process",
	"nu_svm", "ada_boost", "bagging", "extra_trees", "gradient_boosting_trees", "hist_gradient_boosting",
	"linear_svm", "lightgbm", "transformers", "affinity_propagation", "birch", "feature_agglomeration",
	"mini_batch_kmeans", "mean_shift", "optics", "spectral", "spectral_bi", "spectral_co", "catboost", "pca",
}

// algorithmAliases accepts PostgresML 1.0's spellings.
var algorithmAliases = map[string]string{
	"orthoganl_matching_pursuit": "orthogonal_matching_pursuit",
}

// normalizeAlgorithm returns the canonical name of a known algorithm.
func normalizeAlgorithm(name string) (string, error) {
	if canonical, ok := algorithmAliases[name]; ok {
		return canonical, nil
	}
	if slices.Contains(knownAlgorithms, name) {
		return name, nil
	}
	sorted := slices.Clone(knownAlgorithms)
	slices.Sort(sorted)
	return "", newError(stateInvalidParameter, "unknown algorithm `%s`, available options are: %s", name, strings.Join(sorted, ", "))
}

// Runtimes: go is the native library, python the embedded scikit-learn (rust is PostgresML
// 2.x's name for its native runtime, accepted as an alias of go).
const (
	runtimeGo     = "go"
	runtimePython = "python"
)

// chooseRuntime validates the runtime argument; without one, native wins when it has the algorithm.
func chooseRuntime(arg string, given bool, algorithm string, task algorithms.Task) (modelRuntime, error) {
	native := goRuntime{}
	if !given {
		if native.implements(algorithm, task) {
			return native, nil
		}
		return pythonRuntime{}, nil
	}
	switch arg {
	case "go", "rust":
		if !native.implements(algorithm, task) {
			return nil, newError(stateFeatureMissing, "algorithm `%s` is not available in the go runtime for %s; available: %s",
				algorithm, task, strings.Join(nativeAlgorithms(task), ", "))
		}
		return native, nil
	case "python":
		return pythonRuntime{}, nil
	}
	return nil, newError(stateInvalidParameter, "unknown runtime `%s`, available options are: go, python (rust is an alias of go)", arg)
}
