package xgboost

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/pgml-go/pgml/algorithms"
)

// Every value pgml passes to libxgboost is checked here first: XGBoost
// validates some parameters itself, with an error, but not all, and a value
// it does not expect must never reach a code path that crashes (training
// runs in a child process, so a crash would only fail the training, but it
// would fail it obscurely) or allocates without bound (max_bin 1e9). The
// ranges are XGBoost's documented ones, narrowed where a larger value only
// costs memory or time for nothing (depth, bins, leaves).

// valueRule checks one parameter's value.
type valueRule func(key string, v any) error

// number accepts a finite number in [lo, hi] (open at lo when openLo).
func number(lo, hi float64, openLo bool) valueRule {
	return func(key string, v any) error {
		f, ok := algorithms.Number(v)
		if ok && !math.IsNaN(f) && !math.IsInf(f, 0) && f <= hi && (f > lo || (!openLo && f == lo)) {
			return nil
		}
		open := "["
		if openLo {
			open = "("
		}
		return fmt.Errorf("hyperparameter %q must be a number in %s%v, %v], got %s", key, open, lo, hi, algorithms.Describe(v))
	}
}

// integer accepts a whole number in [lo, hi].
func integer(lo, hi int) valueRule {
	return func(key string, v any) error {
		f, ok := algorithms.Number(v)
		if ok && f == math.Trunc(f) && f >= float64(lo) && f <= float64(hi) {
			return nil
		}
		return algorithms.RangeError(key, lo, hi, v)
	}
}

// oneOf accepts one of the strings.
func oneOf(allowed ...string) valueRule {
	return func(key string, v any) error {
		if s, ok := v.(string); ok {
			for _, a := range allowed {
				if s == a {
					return nil
				}
			}
		}
		return fmt.Errorf("hyperparameter %q must be one of %s, got %s", key, algorithms.QuoteList(allowed), algorithms.Describe(v))
	}
}

// boolean accepts true, false, 0 or 1.
func boolean(key string, v any) error {
	if _, ok := v.(bool); ok {
		return nil
	}
	if f, ok := algorithms.Number(v); ok && (f == 0 || f == 1) {
		return nil
	}
	return fmt.Errorf("hyperparameter %q must be true or false, got %s", key, algorithms.Describe(v))
}

// Bounds beyond XGBoost's own that keep memory and time sane.
const (
	maxDepth = 32
	maxBin   = 1024
)

// valueRules maps XGBoost's name of each parameter (after aliases) to its rule. Built on first
// use, not when the library loads: a backend that only predicts never needs it
// (docs/native-inference.md, first predict).
var valueRules = sync.OnceValue(func() map[string]valueRule {
	return map[string]valueRule{
		"eta":               number(0, 1e6, false),
		"gamma":             number(0, math.MaxFloat64, false),
		"max_depth":         integer(0, maxDepth),
		"min_child_weight":  number(0, math.MaxFloat64, false),
		"max_delta_step":    number(0, math.MaxFloat64, false),
		"subsample":         number(0, 1, true),
		"colsample_bytree":  number(0, 1, true),
		"colsample_bylevel": number(0, 1, true),
		"colsample_bynode":  number(0, 1, true),
		"lambda":            number(0, math.MaxFloat64, false),
		"alpha":             number(0, math.MaxFloat64, false),
		"tree_method":       oneOf("auto", "exact", "approx", "hist"),
		"sketch_eps":        number(0, 1, true),
		"scale_pos_weight":  number(0, math.MaxFloat64, true),
		"refresh_leaf":      boolean,
		"process_type":      oneOf("default"),
		"grow_policy":       oneOf("depthwise", "lossguide"),
		"predictor":         oneOf("auto", "cpu_predictor"),
		"max_leaves":        integer(0, algorithms.MaxLeaves),
		"max_bin":           integer(2, maxBin),
		"feature_selector":  oneOf("cyclic", "shuffle", "random", "greedy", "thrifty"),
		"top_k":             integer(0, math.MaxInt32),
		"rate_drop":         number(0, 1, false),
		"one_drop":          boolean,
		"skip_drop":         number(0, 1, false),
		"sample_type":       oneOf("uniform", "weighted"),
		"normalize_type":    oneOf("tree", "forest"),
	}
})

// Updaters by booster: gblinear's are its solvers; for trees, the
// sequences that grow a tree (XGBoost warns that other sequences, such as
// a lone "prune" or "refresh", have undefined behaviour).
var (
	treeUpdater = oneOf("grow_colmaker", "grow_colmaker,prune", "grow_histmaker", "grow_histmaker,prune",
		"grow_quantile_histmaker", "grow_quantile_histmaker,prune")
	linearUpdater = oneOf("shotgun", "coord_descent")
)

// checkValue checks the value v given as key (xgbKey after aliases) to a
// booster.
func checkValue(key, xgbKey string, v any, booster string) error {
	if xgbKey == "updater" {
		if booster == "gblinear" {
			return linearUpdater(key, v)
		}
		return treeUpdater(key, v)
	}
	rule, ok := valueRules()[xgbKey]
	if !ok {
		return fmt.Errorf("hyperparameter %q has no known range", key)
	}
	return rule(key, v)
}

// regressionObjectives are the objectives regression accepts: those that
// need no data beyond one label column.
var regressionObjectives = map[string]bool{
	"reg:squarederror": true, "reg:squaredlogerror": true, "reg:logistic": true,
	"reg:pseudohubererror": true, "reg:absoluteerror": true, "reg:linear": true,
	"count:poisson": true, "reg:gamma": true, "reg:tweedie": true,
}

// metricName returns the name of an evaluation metric written with XGBoost's
// optional "@" argument (error@0.7, ndcg@5, ndcg@5-), and whether s has that
// form: ^([a-z-]+)(@[0-9]{1,9}(\.[0-9]{1,9})?-?)?$, the name being the first
// group. Written out rather than a regexp, so that pgml.so links no regexp
// package (docs/native-inference.md, "The first predict of a connection");
// params_test.go checks it against that expression.
func metricName(s string) (string, bool) {
	n := 0
	for n < len(s) && ('a' <= s[n] && s[n] <= 'z' || s[n] == '-') {
		n++
	}
	name, rest := s[:n], s[n:]
	if name == "" {
		return "", false
	}
	if rest == "" {
		return name, true
	}
	if rest[0] != '@' {
		return "", false
	}
	rest, ok := cutDigits(rest[1:])
	if !ok {
		return "", false
	}
	if rest != "" && rest[0] == '.' {
		if rest, ok = cutDigits(rest[1:]); !ok {
			return "", false
		}
	}
	if rest != "" && rest != "-" {
		return "", false
	}
	return name, true
}

// cutDigits removes one to nine leading decimal digits from s.
func cutDigits(s string) (string, bool) {
	n := 0
	for n < len(s) && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	return s[n:], 1 <= n && n <= 9
}

var metricNames = map[string]bool{
	"rmse": true, "rmsle": true, "mae": true, "mape": true, "mphe": true, "logloss": true,
	"error": true, "merror": true, "mlogloss": true, "auc": true, "aucpr": true, "ndcg": true,
	"map": true, "pre": true, "poisson-nloglik": true, "gamma-nloglik": true, "cox-nloglik": true,
	"gamma-deviance": true, "tweedie-nloglik": true,
}

// checkMetric accepts a known evaluation metric. Metrics only matter with
// evaluation sets, which pgml does not pass, but XGBoost parses them.
func checkMetric(s string) error {
	if name, ok := metricName(s); ok && metricNames[name] {
		return nil
	}
	return fmt.Errorf("hyperparameter \"eval_metric\" must name one of XGBoost's metrics (%s), got %q", strings.Join(sortedKeys(metricNames), ", "), s)
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
