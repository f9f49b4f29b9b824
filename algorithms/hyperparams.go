package algorithms

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Hyperparams holds decoded JSON hyperparameters using scikit-learn's names:
// numbers are float64, plus bools, strings and arrays.
type Hyperparams map[string]any

// CheckKeys reports the first key of h, in sorted order, that is not allowed.
func (h Hyperparams) CheckKeys(allowed ...string) error {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !contains(allowed, k) {
			sorted := append([]string(nil), allowed...)
			sort.Strings(sorted)
			if len(sorted) == 0 {
				return fmt.Errorf("unknown hyperparameter %q: this algorithm takes none", k)
			}
			return fmt.Errorf("unknown hyperparameter %q: allowed are %s", k, strings.Join(sorted, ", "))
		}
	}
	return nil
}

// Bool returns h[key] as a bool, or def when key is absent.
func (h Hyperparams) Bool(key string, def bool) (bool, error) {
	v, ok := h[key]
	if !ok {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("hyperparameter %q must be true or false, got %s", key, Describe(v))
	}
	return b, nil
}

// PositiveFloat returns h[key] as a finite number > 0, or def when key is absent.
func (h Hyperparams) PositiveFloat(key string, def float64) (float64, error) {
	v, ok := h[key]
	if !ok {
		return def, nil
	}
	f, ok := Number(v)
	if !ok || !(f > 0) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("hyperparameter %q must be a positive number, got %s", key, Describe(v))
	}
	return f, nil
}

// PositiveInt returns h[key] as a whole number > 0, or def when key is absent.
// JSON has no integers, so a float64 with no fractional part is accepted.
func (h Hyperparams) PositiveInt(key string, def int) (int, error) {
	v, ok := h[key]
	if !ok {
		return def, nil
	}
	f, ok := Number(v)
	if !ok || !(f >= 1) || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, fmt.Errorf("hyperparameter %q must be a positive integer, got %s", key, Describe(v))
	}
	return int(f), nil
}

// IntInRange returns h[key] as a whole number in [lo, hi], or def when key is
// absent. The error names the hyperparameter and the allowed range, so that
// an absurd value (1e9 iterations, an infinite depth) is refused before any
// work or allocation sized by it.
func (h Hyperparams) IntInRange(key string, def, lo, hi int) (int, error) {
	v, ok := h[key]
	if !ok {
		return def, nil
	}
	f, ok := Number(v)
	if !ok || f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, RangeError(key, lo, hi, v)
	}
	return int(f), nil
}

// RangeError is the message of an integer hyperparameter outside [lo, hi].
func RangeError(key string, lo, hi int, v any) error {
	return fmt.Errorf("hyperparameter %q must be an integer between %d and %d, got %s", key, lo, hi, Describe(v))
}

// Number returns a decoded JSON value as a float64 when it is a number.
func Number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

// Describe renders a hyperparameter value for an error message, as JSON.
func Describe(v any) string { return describeJSON(v) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
