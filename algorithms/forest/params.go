package forest

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// Hyperparameters accepted by both kinds, with scikit-learn's names.
var hyperparameterKeys = []string{
	"bootstrap", "criterion", "max_depth", "max_features", "max_samples",
	"min_impurity_decrease", "min_samples_leaf", "min_samples_split",
	"n_estimators", "n_jobs", "random_state",
}

type criterion uint8

const (
	squaredError criterion = iota + 1
	gini
	entropy
)

// settings are the hyperparameters resolved against the training data, so
// the growers never see fractions, names or nulls.
type settings struct {
	kind                Kind
	numTrees            int
	criterion           criterion
	maxDepth            int // math.MaxInt when unlimited
	minSamplesSplit     int
	minSamplesLeaf      int
	maxFeatures         int
	minImpurityDecrease float64
	bootstrap           bool
	bootstrapSize       int // rows drawn per tree when bootstrapping
	seed                uint64
	workers             int
}

// parseSettings validates hp for a forest of kind on rows×cols training data.
func parseSettings(kind Kind, task algorithms.Task, hp algorithms.Hyperparams, rows, cols int) (settings, error) {
	s := settings{kind: kind}
	if err := hp.CheckKeys(hyperparameterKeys...); err != nil {
		return s, err
	}
	var err error
	if s.numTrees, err = hp.IntInRange("n_estimators", 100, 1, algorithms.MaxEstimators); err != nil {
		return s, err
	}
	if s.criterion, err = parseCriterion(task, hp); err != nil {
		return s, err
	}
	s.maxDepth = math.MaxInt
	if v, ok := hp["max_depth"]; ok && v != nil {
		if s.maxDepth, err = hp.IntInRange("max_depth", 0, 1, algorithms.MaxDepth); err != nil {
			return s, fmt.Errorf("%w (or null for unlimited depth)", err)
		}
	}
	if s.minSamplesLeaf, err = countOrFraction(hp, "min_samples_leaf", 1, 1, rows); err != nil {
		return s, err
	}
	if s.minSamplesSplit, err = countOrFraction(hp, "min_samples_split", 2, 2, rows); err != nil {
		return s, err
	}
	// sklearn: a node smaller than two leaves cannot be split anyway.
	s.minSamplesSplit = max(s.minSamplesSplit, 2*s.minSamplesLeaf, 2)
	if s.maxFeatures, err = parseMaxFeatures(task, hp, cols); err != nil {
		return s, err
	}
	s.minImpurityDecrease = 0
	if v, ok := hp["min_impurity_decrease"]; ok {
		f, isNum := algorithms.Number(v)
		if !isNum || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return s, fmt.Errorf("hyperparameter %q must be a number ≥ 0, got %s", "min_impurity_decrease", algorithms.Describe(v))
		}
		s.minImpurityDecrease = f
	}
	if s.bootstrap, err = hp.Bool("bootstrap", kind == RandomForest); err != nil {
		return s, err
	}
	if s.bootstrapSize, err = parseMaxSamples(hp, s.bootstrap, rows); err != nil {
		return s, err
	}
	if s.seed, err = parseRandomState(hp); err != nil {
		return s, err
	}
	if s.workers, err = parseJobs(hp); err != nil {
		return s, err
	}
	return s, nil
}

func parseCriterion(task algorithms.Task, hp algorithms.Hyperparams) (criterion, error) {
	v, ok := hp["criterion"]
	if task == algorithms.Regression {
		if !ok || v == "squared_error" {
			return squaredError, nil
		}
		return 0, fmt.Errorf("hyperparameter \"criterion\" must be \"squared_error\" for regression, got %s", algorithms.Describe(v))
	}
	if !ok {
		return gini, nil
	}
	switch v {
	case "gini":
		return gini, nil
	case "entropy", "log_loss":
		return entropy, nil
	}
	return 0, fmt.Errorf("hyperparameter \"criterion\" must be \"gini\", \"entropy\" or \"log_loss\" for classification, got %s", algorithms.Describe(v))
}

// countOrFraction reads sklearn's "int or float" sizes: a whole number ≥
// least is a count, a number in (0, 1) a fraction of rows (rounded up).
func countOrFraction(hp algorithms.Hyperparams, key string, def, least, rows int) (int, error) {
	v, ok := hp[key]
	if !ok {
		return def, nil
	}
	f, isNum := algorithms.Number(v)
	switch {
	case isNum && f == math.Trunc(f) && f >= float64(least) && f <= math.MaxInt32:
		return int(f), nil
	case isNum && f > 0 && f < 1:
		return max(int(math.Ceil(f*float64(rows))), 1), nil
	}
	return 0, fmt.Errorf("hyperparameter %q must be an integer ≥ %d or a fraction in (0, 1), got %s", key, least, algorithms.Describe(v))
}

func parseMaxFeatures(task algorithms.Task, hp algorithms.Hyperparams, cols int) (int, error) {
	v, ok := hp["max_features"]
	if !ok {
		// sklearn 1.2 defaults: "sqrt" for classifiers, 1.0 for regressors.
		v = 1.0
		if task == algorithms.Classification {
			v = "sqrt"
		}
	}
	if v == "auto" { // deprecated alias in sklearn 1.2 with the same defaults
		v = 1.0
		if task == algorithms.Classification {
			v = "sqrt"
		}
	}
	switch v {
	case nil:
		return cols, nil
	case "sqrt":
		return max(int(math.Sqrt(float64(cols))), 1), nil
	case "log2":
		return max(int(math.Log2(float64(cols))), 1), nil
	}
	if f, isNum := algorithms.Number(v); isNum {
		switch {
		// 1.0 is a fraction in sklearn, not the integer 1; JSON cannot tell
		// them apart, and both mean "one feature's worth" only for cols == 1.
		case f > 0 && f <= 1 && !(f == 1 && isInteger(v)):
			return max(int(f*float64(cols)), 1), nil
		case f == math.Trunc(f) && f >= 1 && f <= float64(cols):
			return int(f), nil
		case f == math.Trunc(f) && f > float64(cols):
			return 0, fmt.Errorf("hyperparameter \"max_features\" = %v exceeds the %d features", f, cols)
		}
	}
	return 0, fmt.Errorf("hyperparameter \"max_features\" must be \"sqrt\", \"log2\", null, an integer in [1, %d] or a fraction in (0, 1], got %s", cols, algorithms.Describe(v))
}

// isInteger reports whether v arrived as a Go integer rather than a JSON number.
func isInteger(v any) bool {
	switch v.(type) {
	case int, int32, int64:
		return true
	}
	return false
}

func parseMaxSamples(hp algorithms.Hyperparams, bootstrap bool, rows int) (int, error) {
	v, ok := hp["max_samples"]
	if !ok || v == nil {
		return rows, nil
	}
	if !bootstrap {
		return 0, fmt.Errorf("hyperparameter \"max_samples\" requires \"bootstrap\": true")
	}
	f, isNum := algorithms.Number(v)
	switch {
	case isNum && f > 0 && f <= 1 && !(f == 1 && isInteger(v)):
		return max(int(math.Round(f*float64(rows))), 1), nil
	case isNum && f == math.Trunc(f) && f >= 1 && f <= float64(rows):
		return int(f), nil
	}
	return 0, fmt.Errorf("hyperparameter \"max_samples\" must be null, an integer in [1, %d] or a fraction in (0, 1], got %s", rows, algorithms.Describe(v))
}

func parseRandomState(hp algorithms.Hyperparams) (uint64, error) {
	v, ok := hp["random_state"]
	if !ok || v == nil {
		// Seed 0, like every native algorithm and like PostgresML 1.0's injected
		// random_state: the same data and hyperparameters give the same model.
		return 0, nil
	}
	f, isNum := algorithms.Number(v)
	if !isNum || f != math.Trunc(f) || f < 0 || f > math.MaxUint32 {
		return 0, fmt.Errorf("hyperparameter \"random_state\" must be null or an integer in [0, 4294967295], got %s", algorithms.Describe(v))
	}
	return uint64(f), nil
}

// parseJobs follows joblib: null uses every CPU, -1 every CPU, -2 all but
// one; more than GOMAXPROCS (pgml.training_threads) is capped to it, as the
// forest does not depend on the number of workers.
func parseJobs(hp algorithms.Hyperparams) (int, error) {
	v, ok := hp["n_jobs"]
	if !ok || v == nil {
		return algorithms.Workers(0), nil
	}
	f, isNum := algorithms.Number(v)
	if !isNum || f != math.Trunc(f) || f == 0 || math.Abs(f) > math.MaxInt32 {
		return 0, fmt.Errorf("hyperparameter \"n_jobs\" must be null or a non-zero integer, got %s", algorithms.Describe(v))
	}
	return algorithms.Workers(int(f)), nil
}
