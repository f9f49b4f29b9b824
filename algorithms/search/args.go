package search

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pgml-go/pgml/algorithms"
)

// Search methods accepted by pgml.train's search argument. The empty string
// means the argument was not given.
const (
	Grid   = "grid"
	Random = "random"
)

// DefaultNIter is the number of candidates a random search tries when
// search_args has no n_iter, as in PostgresML.
const DefaultNIter = 10

// maxArg bounds cv and n_iter so that they fit an int on every platform and
// a typo cannot ask for billions of folds.
const maxArg = math.MaxInt32

// CheckMethod reports whether method is a known search method or empty.
func CheckMethod(method string) error {
	switch method {
	case "", Grid, Random:
		return nil
	}
	return fmt.Errorf("Unknown hyperparam search `%s`, available options are: grid, random.", method)
}

// Args are the decoded search_args.
type Args struct {
	// CV is the number of cross-validation folds; below 2 there are none.
	CV int
	// NIter is how many candidates a random search tries.
	NIter int
}

// ParseArgs decodes search_args, a JSON object with the optional keys cv and
// n_iter, or "" / null for none. searchGiven tells whether pgml.train got a
// search method: cv then defaults to 5, otherwise to 1 (no folds), because
// PostgresML only cross-validates when it is asked to search.
func ParseArgs(raw string, searchGiven bool) (Args, error) {
	args := Args{CV: 1, NIter: DefaultNIter}
	if searchGiven {
		args.CV = 5
	}
	obj, err := decodeObject("search_args", raw)
	if err != nil {
		return Args{}, err
	}
	// Sorted so that the first bad key reported does not depend on map order.
	keys := sortedKeys(obj)
	for _, k := range keys {
		if k != "cv" && k != "n_iter" {
			return Args{}, fmt.Errorf("Unknown search_args => %q: valid keys are cv and n_iter", k)
		}
	}
	if v, ok := obj["cv"]; ok {
		cv, ok := wholeNumber(v)
		if !ok || cv < 0 {
			return Args{}, fmt.Errorf("search_args cv must be an integer >= 0, got %s", describe(v))
		}
		args.CV = cv
	}
	if v, ok := obj["n_iter"]; ok {
		n, ok := wholeNumber(v)
		if !ok || n < 1 {
			return Args{}, fmt.Errorf("search_args n_iter must be a positive integer, got %s", describe(v))
		}
		args.NIter = n
	}
	return args, nil
}

// wholeNumber returns v as an int when it is a JSON number without a
// fractional part in [-maxArg, maxArg]. JSON has no integer type, so 3.0
// is as good as 3.
func wholeNumber(v any) (int, bool) {
	f, ok := algorithms.Number(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > maxArg {
		return 0, false
	}
	return int(f), true
}

// decodeObject decodes a JSON object argument; "" and null decode to an
// empty object because SQL callers pass NULL for "not given".
func decodeObject(name, raw string) (map[string]any, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" {
		return map[string]any{}, nil
	}
	d := json.NewDecoder(strings.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON: %v", name, err)
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s is not valid JSON: more follows the first value", name)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			return map[string]any{}, nil
		}
		return nil, fmt.Errorf("%s must be a JSON object, got %s", name, describe(v))
	}
	// Numbers are decoded one by one, so that one beyond double precision is named by its key.
	for k, e := range obj {
		number, err := algorithms.DecodeNumbers(e)
		if err != nil {
			return nil, fmt.Errorf("%s key %q is out of range: %w", name, k, err)
		}
		obj[k] = number
	}
	return obj, nil
}

// describe renders a decoded JSON value for an error message, as JSON when
// possible so that users see what they typed.
func describe(v any) string {
	if b, err := json.Marshal(v); err == nil {
		s := string(b)
		if len(s) > 80 {
			// Cut on a rune boundary so the message stays valid UTF-8.
			cut := 77
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			s = s[:cut] + "..."
		}
		return s
	}
	return algorithms.Describe(v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
