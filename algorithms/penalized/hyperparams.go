package penalized

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// The helpers below complement algorithms.Hyperparams with the value kinds
// sklearn's linear models take that the shared helpers do not cover.

// nonNegativeFloat returns hp[key] as a finite number ≥ 0 (alpha = 0 is a
// legitimate, if unregularised, choice in sklearn).
func nonNegativeFloat(hp algorithms.Hyperparams, key string, def float64) (float64, error) {
	v, ok := hp[key]
	if !ok {
		return def, nil
	}
	f, ok := algorithms.Number(v)
	if !ok || !(f >= 0) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("hyperparameter %q must be a non-negative number, got %v", key, algorithms.Describe(v))
	}
	return f, nil
}

// fraction returns hp[key] as a number in [0, 1].
func fraction(hp algorithms.Hyperparams, key string, def float64) (float64, error) {
	v, ok := hp[key]
	if !ok {
		return def, nil
	}
	f, ok := algorithms.Number(v)
	if !ok || !(f >= 0 && f <= 1) {
		return 0, fmt.Errorf("hyperparameter %q must be a number between 0 and 1, got %v", key, algorithms.Describe(v))
	}
	return f, nil
}

// choice returns hp[key], which must be one of allowed, or def when absent.
func choice(hp algorithms.Hyperparams, key, def string, allowed ...string) (string, error) {
	v, ok := hp[key]
	if !ok {
		return def, nil
	}
	s, ok := v.(string)
	for _, a := range allowed {
		if ok && s == a {
			return s, nil
		}
	}
	return "", fmt.Errorf("hyperparameter %q must be one of %s, got %v", key, algorithms.QuoteList(allowed), algorithms.Describe(v))
}

// randomState returns the seed for hp["random_state"]. sklearn draws a fresh
// seed for None; pgml models must be reproducible, so an absent or null
// random_state means seed 0.
func randomState(hp algorithms.Hyperparams) (uint64, error) {
	v, ok := hp["random_state"]
	if !ok || v == nil {
		return 0, nil
	}
	f, ok := algorithms.Number(v)
	if !ok || f < 0 || f != math.Trunc(f) || f > math.MaxUint32 {
		return 0, fmt.Errorf("hyperparameter \"random_state\" must be null or an integer between 0 and 2**32 - 1, got %v", algorithms.Describe(v))
	}
	return uint64(f), nil
}

// optionalTol returns hp["tol"] as a positive number; null disables the
// tolerance-based stopping rule as in sklearn, which we report as -Inf.
func optionalTol(hp algorithms.Hyperparams, def float64) (float64, error) {
	if v, ok := hp["tol"]; ok && v == nil {
		return math.Inf(-1), nil
	}
	return nonNegativeFloat(hp, "tol", def)
}
