package algorithms

import "runtime"

// Limits on the hyperparameters that size work or memory. They are generous
// for real use and exist so that a typo (1e9 trees, a depth of 1e6) is an
// error naming the allowed range instead of hours of work or an allocation
// that cannot succeed. Memory itself is admitted by the callers from the
// estimates of package native; these bound what an estimate could not (time).
const (
	// MaxEstimators bounds trees, boosting rounds and ensemble members.
	MaxEstimators = 100_000
	// MaxIterations bounds iterative solvers (epochs, sweeps, L-BFGS and
	// Lloyd iterations, SMO steps).
	MaxIterations = 10_000_000
	// MaxInit bounds restarts from fresh seedings (k-means n_init).
	MaxInit = 1_000
	// MaxDepth bounds tree depth: a binary tree on fewer than 2^31 rows
	// cannot use more, and a deeper limit only means "unlimited".
	MaxDepth = 1_000
	// MaxLeaves bounds leaves per boosted tree (LightGBM's own limit).
	MaxLeaves = 131_072
)

// Workers returns how many goroutines a fit may use when the caller asks
// for requested (joblib's n_jobs: 0 or absent for all, -1 for all, -2 for
// all but one): never more than GOMAXPROCS, which the extension sets from
// pgml.training_threads, and never fewer than one. A request beyond the
// processors is capped, not refused: the fitted model does not depend on it.
func Workers(requested int) int {
	procs := runtime.GOMAXPROCS(0)
	switch {
	case requested == 0:
		return procs
	case requested < 0:
		return max(procs+1+requested, 1)
	}
	return min(requested, procs)
}
