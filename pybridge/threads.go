package pybridge

import (
	"encoding/json"
	"maps"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// ThreadParameters are the hyperparameters by which the estimators pgml maps start
// threads or processes: scikit-learn's and xgboost's n_jobs, xgboost's nthread, lightgbm's
// num_threads (and aliases), catboost's thread_count.
var ThreadParameters = []string{"n_jobs", "nthread", "nthreads", "num_threads", "num_thread", "thread_count"}

// ThreadCap is one thread hyperparameter CapThreads lowered.
type ThreadCap struct {
	Name  string
	Asked float64
	Used  int
}

// CapThreads returns hp with every thread hyperparameter above limit, or at or below 0
// (which these libraries read as "every core", or "all but n"), set to limit, and the list
// of what changed. Values that are not numbers (null, text) and fractions are left for the
// estimator to accept or refuse. hp itself is not modified.
func CapThreads(hp algorithms.Hyperparams, limit int) (algorithms.Hyperparams, []ThreadCap) {
	limit = max(limit, 1)
	var caps []ThreadCap
	out := hp
	for _, name := range ThreadParameters {
		v, ok := number(hp[name])
		if !ok || v != math.Trunc(v) || (v >= 1 && v <= float64(limit)) {
			continue
		}
		if caps == nil {
			out = maps.Clone(hp)
		}
		out[name] = limit
		caps = append(caps, ThreadCap{Name: name, Asked: v, Used: limit})
	}
	return out, caps
}

// number is a hyperparameter's numeric value, as JSON decoding or Go code gives it.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}
