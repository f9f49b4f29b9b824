package boosting

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
)

// lookup returns the value of the first of names present in hp. names are
// aliases of one parameter, so passing two of them is an error rather than a
// silent choice.
func lookup(hp algorithms.Hyperparams, names ...string) (key string, v any, ok bool, err error) {
	for _, n := range names {
		val, present := hp[n]
		if !present {
			continue
		}
		if ok {
			return "", nil, false, fmt.Errorf("hyperparameters %q and %q are aliases; pass only one", key, n)
		}
		key, v, ok = n, val, true
	}
	return key, v, ok, nil
}

// intParam reads a whole number in [lo, hi]; JSON has no integers, so a
// float64 without a fractional part is accepted.
func intParam(hp algorithms.Hyperparams, def, lo, hi int, names ...string) (int, error) {
	key, v, ok, err := lookup(hp, names...)
	if err != nil || !ok {
		return def, err
	}
	return toInt(key, v, lo, hi)
}

func toInt(key string, v any, lo, hi int) (int, error) {
	f, ok := algorithms.Number(v)
	if !ok || f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, algorithms.RangeError(key, lo, hi, v)
	}
	return int(f), nil
}

// nullableIntParam is intParam where JSON null stands for "no limit",
// returned as 0.
func nullableIntParam(hp algorithms.Hyperparams, def, lo, hi int, names ...string) (int, error) {
	key, v, ok, err := lookup(hp, names...)
	if err != nil || !ok {
		return def, err
	}
	if v == nil {
		return 0, nil
	}
	n, err := toInt(key, v, lo, hi)
	if err != nil {
		return 0, fmt.Errorf("%w or null", err)
	}
	return n, nil
}

// floatParam reads a number in [lo, hi], or (lo, hi] when openLo.
func floatParam(hp algorithms.Hyperparams, def, lo, hi float64, openLo bool, names ...string) (float64, error) {
	key, v, ok, err := lookup(hp, names...)
	if err != nil || !ok {
		return def, err
	}
	f, isNum := algorithms.Number(v)
	inRange := isNum && !math.IsInf(f, 0) && f <= hi && (f > lo || (!openLo && f == lo))
	if !inRange {
		open := "["
		if openLo {
			open = "("
		}
		return 0, fmt.Errorf("hyperparameter %q must be a number in %s%v, %v], got %s", key, open, lo, hi, algorithms.Describe(v))
	}
	return f, nil
}

// stringParam reads one of allowed.
func stringParam(hp algorithms.Hyperparams, def string, allowed []string, names ...string) (string, error) {
	key, v, ok, err := lookup(hp, names...)
	if err != nil || !ok {
		return def, err
	}
	s, isString := v.(string)
	for _, a := range allowed {
		if isString && s == a {
			return s, nil
		}
	}
	return "", fmt.Errorf("hyperparameter %q must be one of %s, got %s", key, quoteAll(allowed), algorithms.Describe(v))
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// seedParam reads random_state: a non-negative integer, or null (absent) for
// a fresh random seed as in sklearn.
func seedParam(hp algorithms.Hyperparams, names ...string) (uint64, error) {
	key, v, ok, err := lookup(hp, names...)
	if err != nil {
		return 0, err
	}
	if !ok || v == nil {
		return rand.Uint64(), nil
	}
	n, err := toInt(key, v, 0, math.MaxUint32)
	return uint64(n), err
}

// ignoredParam accepts a parameter that does not change the fitted model
// (verbosity) as long as it has a plausible type.
func ignoredParam(hp algorithms.Hyperparams, names ...string) error {
	key, v, ok, err := lookup(hp, names...)
	if err != nil || !ok {
		return err
	}
	switch v.(type) {
	case bool, float64, float32, int, int32, int64, nil:
		return nil
	}
	return fmt.Errorf("hyperparameter %q must be a number or a boolean, got %s", key, algorithms.Describe(v))
}
