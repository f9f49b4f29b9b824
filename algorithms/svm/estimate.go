package svm

import "github.com/pgml-go/pgml/algorithms"

// EstimateFit bounds the bytes FitSVC (classification, k classes) or FitSVR
// (regression, k targets) allocates beyond x and y for n rows of p
// features; it checks the hyperparameters as the fit would.
//
// Classification: the labels' sorted copy, class indices and per-class row
// lists (3n values); for the pair being solved, its variables (row map,
// signs, linear term, α, gradient, diagonals: 7 values a row) and its
// kernel cache (cache_size, at most the pair's whole kernel matrix); the
// α of every pair, (k−1)·n values; and the model, whose support vectors are
// at most every row (n·p values) with k−1 coefficients each.
//
// Regression, per target: a target column and two variables per row
// (α and α*, 13 values a row), the shared kernel cache, and the model: at
// most every row as a support vector, for each target.
func EstimateFit(task algorithms.Task, n, p, k int, hp algorithms.Hyperparams) (int64, error) {
	params, err := parseParams(hp, task == algorithms.Regression)
	if err != nil {
		return 0, err
	}
	n64, p64, k64 := int64(n), int64(p), int64(k)
	// A tenth more for the collector's timing and Go's size classes.
	margin := func(b int64) int64 { return b + b/10 + 64<<10 }
	if task == algorithms.Regression {
		solver := 8 * 13 * n64
		model := k64 * 8 * (n64*p64 + 2*n64)
		return margin(solver + cacheBytes(n, params.cacheBytes) + model), nil
	}
	labels := 8*3*n64 + n64
	solver := 8 * 7 * n64
	pairs := 8 * (k64 - 1) * n64
	model := 8 * (n64*p64 + (k64+2)*n64 + k64*k64)
	return margin(labels + solver + cacheBytes(n, params.cacheBytes) + pairs + model), nil
}
