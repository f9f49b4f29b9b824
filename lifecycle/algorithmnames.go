package lifecycle

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

// NormalizeAlgorithm returns the canonical name of a known algorithm.
func NormalizeAlgorithm(name string) (string, error) {
	if canonical, ok := algorithmAliases[name]; ok {
		return canonical, nil
	}
	if slices.Contains(knownAlgorithms, name) {
		return name, nil
	}
	sorted := slices.Clone(knownAlgorithms)
	slices.Sort(sorted)
	return "", Errorf(StateInvalidParameter, "unknown algorithm `%s`, available options are: %s", name, strings.Join(sorted, ", "))
}

// defaultAlgorithm applies PostgresML 2.x's defaults: `linear` means kmeans for clustering
// and pca for decomposition.
func defaultAlgorithm(algorithm string, task algorithms.Task) string {
	if algorithm != "linear" {
		return algorithm
	}
	switch task {
	case algorithms.Clustering:
		return "kmeans"
	case algorithms.Decomposition:
		return "pca"
	}
	return algorithm
}

// targetMetric is the metric that ranks models of a task (higher is better).
func targetMetric(task algorithms.Task) string {
	switch task {
	case algorithms.Classification:
		return "f1"
	case algorithms.Clustering:
		return "silhouette"
	case algorithms.Decomposition:
		return "cumulative_explained_variance"
	}
	return "r2"
}
