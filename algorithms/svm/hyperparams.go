package svm

import (
	"fmt"
	"math"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
)

// SVCHyperparams and SVRHyperparams are the names accepted by FitSVC and
// FitSVR, as in sklearn's SVC and SVR. Some are accepted only at values
// that do not change the fitted model's predictions (probability=false,
// class_weight=null, break_ties=false) so that PostgresML calls that spell
// out sklearn's defaults still work.
var (
	SVCHyperparams = []string{"C", "kernel", "degree", "gamma", "coef0", "shrinking", "probability", "tol",
		"cache_size", "class_weight", "verbose", "max_iter", "decision_function_shape", "break_ties", "random_state"}
	SVRHyperparams = []string{"kernel", "degree", "gamma", "coef0", "tol", "C", "epsilon", "shrinking",
		"cache_size", "verbose", "max_iter"}
)

// maxCacheMB bounds the kernel cache (sklearn's cache_size, in MB); the
// training's memory estimate counts what is asked, up to the whole n×n
// kernel matrix.
const maxCacheMB = 1 << 20

// maxDegree bounds the polynomial kernel's degree.
const maxDegree = 1000

// params are the parsed hyperparameters of either estimator.
type params struct {
	c       float64
	kernel  KernelType
	degree  int
	gamma   gammaRule
	coef0   float64
	tol     float64
	epsilon float64
	// maxIter < 0 means no limit.
	maxIter    int
	cacheBytes float64
}

// gammaRule is sklearn's gamma: a number, or "scale" or "auto", which
// depend on the training data.
type gammaRule struct {
	name  string // "scale", "auto" or "" for value
	value float64
}

// resolve returns gamma for training data x: "scale" is
// 1/(n_features·Var(x)) over all entries of x (1 if x is constant) and
// "auto" is 1/n_features.
func (g gammaRule) resolve(x algorithms.Matrix) float64 {
	switch g.name {
	case "auto":
		return 1 / float64(x.Cols)
	case "scale":
		var mean float64
		for _, v := range x.Data {
			mean += v
		}
		mean /= float64(len(x.Data))
		var variance float64
		for _, v := range x.Data {
			variance += (v - mean) * (v - mean)
		}
		variance /= float64(len(x.Data))
		if variance == 0 {
			return 1
		}
		return 1 / (float64(x.Cols) * variance)
	}
	return g.value
}

func parseParams(hp algorithms.Hyperparams, regression bool) (p params, err error) {
	allowed := SVCHyperparams
	if regression {
		allowed = SVRHyperparams
	}
	if err := hp.CheckKeys(allowed...); err != nil {
		return p, err
	}
	if p.c, err = hp.PositiveFloat("C", 1); err != nil {
		return p, err
	}
	kernel, err := choice(hp, "kernel", "rbf", "linear", "poly", "rbf", "sigmoid")
	if err != nil {
		return p, err
	}
	p.kernel, _ = parseKernelType(kernel)
	if p.degree, err = hp.IntInRange("degree", 3, 0, maxDegree); err != nil {
		return p, err
	}
	if p.gamma, err = parseGamma(hp); err != nil {
		return p, err
	}
	if p.coef0, err = finite(hp, "coef0", 0, math.Inf(-1)); err != nil {
		return p, err
	}
	if p.tol, err = hp.PositiveFloat("tol", 1e-3); err != nil {
		return p, err
	}
	if p.epsilon, err = finite(hp, "epsilon", 0.1, 0); err != nil {
		return p, err
	}
	if p.maxIter, err = hp.IntInRange("max_iter", -1, -1, algorithms.MaxIterations); err != nil {
		return p, fmt.Errorf("%w (-1 for no limit)", err)
	}
	cacheMB, err := hp.PositiveFloat("cache_size", 200)
	if err != nil {
		return p, err
	}
	if cacheMB > maxCacheMB {
		return p, fmt.Errorf("hyperparameter \"cache_size\" must be at most %d (MB), got %s", maxCacheMB, algorithms.Describe(hp["cache_size"]))
	}
	p.cacheBytes = cacheMB * (1 << 20)
	// Shrinking only speeds libsvm up (the optimum is the same), and
	// verbose only prints; both are accepted for compatibility.
	for _, key := range []string{"shrinking", "verbose"} {
		if _, err := hp.Bool(key, false); err != nil {
			return p, err
		}
	}
	if regression {
		return p, nil
	}
	if probability, err := hp.Bool("probability", false); err != nil {
		return p, err
	} else if probability {
		return p, fmt.Errorf("hyperparameter \"probability\": probability estimates (Platt scaling) are not implemented natively; use probability=false")
	}
	if breakTies, err := hp.Bool("break_ties", false); err != nil {
		return p, err
	} else if breakTies {
		return p, fmt.Errorf("hyperparameter \"break_ties\": only false (libsvm's one-vs-one voting) is implemented")
	}
	if v, ok := hp["class_weight"]; ok && v != nil {
		return p, fmt.Errorf("hyperparameter \"class_weight\": only null (every class weighs 1) is implemented, got %s", algorithms.Describe(v))
	}
	// decision_function_shape only shapes decision_function, not predict.
	if _, err := choice(hp, "decision_function_shape", "ovr", "ovr", "ovo"); err != nil {
		return p, err
	}
	// random_state only seeds the probability calibration, which is not
	// implemented, but must still be a valid seed.
	if v, ok := hp["random_state"]; ok && v != nil {
		if f, ok := algorithms.Number(v); !ok || f < 0 || f != math.Trunc(f) || f > math.MaxUint32 {
			return p, fmt.Errorf("hyperparameter \"random_state\" must be null or an integer between 0 and 2**32 - 1, got %s", algorithms.Describe(v))
		}
	}
	return p, nil
}

func parseGamma(hp algorithms.Hyperparams) (gammaRule, error) {
	v, ok := hp["gamma"]
	if !ok {
		return gammaRule{name: "scale"}, nil
	}
	if s, ok := v.(string); ok && (s == "scale" || s == "auto") {
		return gammaRule{name: s}, nil
	}
	if f, ok := algorithms.Number(v); ok && f >= 0 && !math.IsInf(f, 0) {
		return gammaRule{value: f}, nil
	}
	return gammaRule{}, fmt.Errorf("hyperparameter \"gamma\" must be \"scale\", \"auto\" or a non-negative number, got %s", algorithms.Describe(v))
}

// choice returns hp[key], which must be one of allowed, or def when absent.
func choice(hp algorithms.Hyperparams, key, def string, allowed ...string) (string, error) {
	v, ok := hp[key]
	if !ok {
		return def, nil
	}
	if s, ok := v.(string); ok {
		for _, a := range allowed {
			if s == a {
				return s, nil
			}
		}
	}
	return "", fmt.Errorf("hyperparameter %q must be one of %s, got %s", key, quoteAll(allowed), algorithms.Describe(v))
}

// integer returns hp[key] as a whole number ≥ least, or def when absent.
func integer(hp algorithms.Hyperparams, key string, def, least int) (int, error) {
	v, ok := hp[key]
	if !ok {
		return def, nil
	}
	f, ok := algorithms.Number(v)
	if !ok || f != math.Trunc(f) || f < float64(least) || f > math.MaxInt32 {
		return 0, fmt.Errorf("hyperparameter %q must be an integer ≥ %d, got %s", key, least, algorithms.Describe(v))
	}
	return int(f), nil
}

// finite returns hp[key] as a finite number ≥ least, or def when absent.
func finite(hp algorithms.Hyperparams, key string, def, least float64) (float64, error) {
	v, ok := hp[key]
	if !ok {
		return def, nil
	}
	f, ok := algorithms.Number(v)
	if !ok || math.IsInf(f, 0) || !(f >= least) {
		if least > math.Inf(-1) {
			return 0, fmt.Errorf("hyperparameter %q must be a number ≥ %v, got %s", key, least, algorithms.Describe(v))
		}
		return 0, fmt.Errorf("hyperparameter %q must be a finite number, got %s", key, algorithms.Describe(v))
	}
	return f, nil
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
