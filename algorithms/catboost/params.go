package catboost

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
)

// Algorithm is the registry name of this package's models.
const Algorithm = "catboost"

// maxDepth is CatBoost's own limit on the depth of a symmetric tree.
const maxDepth = 16

// maxBorders is CatBoost's limit of border_count on CPU: bins are bytes.
const maxBorders = 255

// config is a fit's resolved settings.
type config struct {
	iterations      int
	depth           int
	learningRate    float64 // 0 until resolved: the automatic rate depends on the data
	l2              float64
	autoRate        bool
	borderCount     int
	randomStrength  float64
	baggingTemp     float64
	seed            uint64
	loss            string // "" until resolved from the task and labels
	workers         int
	catFeatures     []int
	leafIterations  int // 0 until resolved from the loss
	boostFromAvg    bool
	boostFromAvgSet bool
}

// The names of each parameter: CatBoost's first, then its aliases.
var (
	iterationNames   = []string{"iterations", "n_estimators", "num_boost_round", "num_trees"}
	depthNames       = []string{"depth", "max_depth"}
	rateNames        = []string{"learning_rate", "eta"}
	l2Names          = []string{"l2_leaf_reg", "reg_lambda"}
	seedNames        = []string{"random_seed", "random_state"}
	borderNames      = []string{"border_count", "max_bin"}
	strengthNames    = []string{"random_strength"}
	temperatureNames = []string{"bagging_temperature"}
	lossNames        = []string{"loss_function", "objective"}
	threadNames      = []string{"thread_count"}
	catNames         = []string{"cat_features"}
	leafIterNames    = []string{"leaf_estimation_iterations"}
	averageNames     = []string{"boost_from_average"}
	ignoredNames     = []string{"verbose", "silent", "logging_level", "allow_writing_files", "verbose_eval"}
)

// Losses lists the loss_function values accepted per task.
var (
	regressionLosses     = []string{"RMSE", "MultiRMSE"}
	classificationLosses = []string{"Logloss", "MultiClass"}
)

// allNames is every accepted hyperparameter, for the unknown-name error.
func allNames() []string {
	var all []string
	for _, names := range [][]string{iterationNames, depthNames, rateNames, l2Names, seedNames, borderNames,
		strengthNames, temperatureNames, lossNames, threadNames, catNames, leafIterNames, averageNames, ignoredNames} {
		all = append(all, names...)
	}
	return all
}

// parseConfig reads hp under CatBoost's Python names. Passing two aliases of one parameter
// is an error, as in CatBoost.
func parseConfig(hp algorithms.Hyperparams, task algorithms.Task) (config, error) {
	c := config{iterations: 1000, depth: 6, l2: 3, borderCount: 254, randomStrength: 1, baggingTemp: 1, seed: 0}
	if task != algorithms.Regression && task != algorithms.Classification {
		return c, fmt.Errorf("catboost trains regression and classification, not %v", task)
	}
	if err := hp.CheckKeys(allNames()...); err != nil {
		return c, err
	}
	p := reader{hp: hp}
	c.iterations = p.integer(c.iterations, 1, algorithms.MaxEstimators, iterationNames)
	c.depth = p.integer(c.depth, 1, maxDepth, depthNames)
	c.learningRate = p.number(0, 0, 1e6, true, rateNames)
	c.autoRate = !p.present(rateNames) && !p.present(l2Names) && !p.present(leafIterNames)
	c.l2 = p.number(c.l2, 0, math.MaxFloat64, false, l2Names)
	c.borderCount = p.integer(c.borderCount, 1, maxBorders, borderNames)
	c.randomStrength = p.number(c.randomStrength, 0, math.MaxFloat64, false, strengthNames)
	c.baggingTemp = p.number(c.baggingTemp, 0, math.MaxFloat64, false, temperatureNames)
	c.seed = uint64(p.integer(0, 0, math.MaxUint32, seedNames))
	c.leafIterations = p.integer(0, 1, 1000, leafIterNames)
	c.workers = algorithms.Workers(p.integer(-1, -1, math.MaxInt32, threadNames))
	if p.present(averageNames) {
		c.boostFromAvg, c.boostFromAvgSet = p.boolean(averageNames), true
	}
	allowed := regressionLosses
	if task == algorithms.Classification {
		allowed = classificationLosses
	}
	c.loss = p.oneOf(allowed, lossNames)
	c.catFeatures = p.indices(catNames)
	p.ignored(ignoredNames)
	return c, p.err
}

// reader reads hyperparameters and keeps the first error.
type reader struct {
	hp  algorithms.Hyperparams
	err error
}

// find returns the value under the first of names present, refusing two aliases at once.
func (r *reader) find(names []string) (key string, v any, ok bool) {
	for _, n := range names {
		val, present := r.hp[n]
		if !present {
			continue
		}
		if ok {
			r.fail(fmt.Errorf("hyperparameters %q and %q are aliases; pass only one", key, n))
			return "", nil, false
		}
		key, v, ok = n, val, true
	}
	return key, v, ok
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *reader) present(names []string) bool {
	for _, n := range names {
		if _, ok := r.hp[n]; ok {
			return true
		}
	}
	return false
}

// integer reads a whole number in [lo, hi]; JSON has no integers, so a float64 without a
// fractional part is accepted.
func (r *reader) integer(def, lo, hi int, names []string) int {
	key, v, ok := r.find(names)
	if !ok {
		return def
	}
	f, isNum := algorithms.Number(v)
	if !isNum || f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		r.fail(algorithms.RangeError(key, lo, hi, v))
		return def
	}
	return int(f)
}

// number reads a finite number in [lo, hi], or (lo, hi] when openLo.
func (r *reader) number(def, lo, hi float64, openLo bool, names []string) float64 {
	key, v, ok := r.find(names)
	if !ok {
		return def
	}
	f, isNum := algorithms.Number(v)
	if !isNum || math.IsInf(f, 0) || math.IsNaN(f) || f > hi || f < lo || (openLo && f == lo) {
		open := "["
		if openLo {
			open = "("
		}
		r.fail(fmt.Errorf("hyperparameter %q must be a number in %s%v, %v], got %s", key, open, lo, hi, algorithms.Describe(v)))
		return def
	}
	return f
}

func (r *reader) boolean(names []string) bool {
	key, v, ok := r.find(names)
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		r.fail(fmt.Errorf("hyperparameter %q must be true or false, got %s", key, algorithms.Describe(v)))
	}
	return b
}

// oneOf reads one of allowed, or "" when absent.
func (r *reader) oneOf(allowed []string, names []string) string {
	key, v, ok := r.find(names)
	if !ok {
		return ""
	}
	if s, isString := v.(string); isString && slices.Contains(allowed, s) {
		return s
	}
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = fmt.Sprintf("%q", a)
	}
	r.fail(fmt.Errorf("hyperparameter %q must be one of %s for this task, got %s", key, strings.Join(quoted, ", "), algorithms.Describe(v)))
	return ""
}

// indices reads a list of distinct non-negative column indexes (CatBoost's cat_features).
func (r *reader) indices(names []string) []int {
	key, v, ok := r.find(names)
	if !ok || v == nil {
		return nil
	}
	list, isList := v.([]any)
	if !isList {
		r.fail(fmt.Errorf("hyperparameter %q must be an array of column indexes, got %s", key, algorithms.Describe(v)))
		return nil
	}
	out := make([]int, 0, len(list))
	for _, e := range list {
		f, isNum := algorithms.Number(e)
		if !isNum || f != math.Trunc(f) || f < 0 || f > math.MaxInt32 {
			r.fail(fmt.Errorf("hyperparameter %q must list column indexes (whole numbers from 0), got %s", key, algorithms.Describe(e)))
			return nil
		}
		if slices.Contains(out, int(f)) {
			r.fail(fmt.Errorf("hyperparameter %q lists column %d twice", key, int(f)))
			return nil
		}
		out = append(out, int(f))
	}
	slices.Sort(out)
	return out
}

// ignored accepts a logging parameter of a plausible type: it does not change the model.
func (r *reader) ignored(names []string) {
	for _, n := range names {
		v, ok := r.hp[n]
		if !ok {
			continue
		}
		switch v.(type) {
		case bool, float64, float32, int, int32, int64, string, nil:
		default:
			r.fail(fmt.Errorf("hyperparameter %q must be a number, a boolean or a string, got %s", n, algorithms.Describe(v)))
		}
	}
}

// autoLearningRate is CatBoost's default learning rate on CPU without an evaluation set
// (use_best_model false): exp(A·ln(rows) + B) scaled by the iteration count's factor
// exp(C·ln(iterations) + D) / exp(C·ln(1000) + D), capped at 0.5 and rounded to 6 decimals.
// The coefficients are CatBoost's, fitted by its authors per loss and boost_from_average;
// MultiRMSE has none and
// keeps the static default 0.03.
func autoLearningRate(loss string, boostFromAverage bool, rows, iterations int) float64 {
	var a, b, c, d float64
	switch {
	case loss == "RMSE" && boostFromAverage:
		a, b, c, d = 0.158, -4.287, -0.813, 2.571
	case loss == "RMSE":
		a, b, c, d = 0.178, -4.473, -0.76, 2.133
	case loss == "Logloss" && boostFromAverage:
		a, b, c, d = 0.408, -7.299, -0.928, 2.701
	case loss == "Logloss":
		a, b, c, d = 0.427, -7.525, -0.917, 2.63
	case loss == "MultiClass":
		a, b, c, d = 0.051, -2.889, -0.845, 2.928
	default:
		return 0.03
	}
	custom := math.Exp(c*math.Log(float64(iterations)) + d)
	standard := math.Exp(c*math.Log(1000) + d)
	rate := math.Exp(a*math.Log(float64(rows)) + b)
	return math.Round(math.Min(rate*custom/standard, 0.5)*1e6) / 1e6
}
