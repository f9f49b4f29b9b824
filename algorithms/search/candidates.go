package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
)

// MaxCandidates is the most candidates Candidates returns. Each candidate is
// trained once per fold, so a search this large would never finish; the
// limit turns a typo in search_params into an error instead of an attempt to
// allocate billions of hyperparameter maps.
const MaxCandidates = 100_000

// Candidates expands search_params into the hyperparameters to try.
//
// searchParams is a JSON object (or "" / null for none) whose values are
// non-empty arrays of candidate values. Each candidate is a copy of fixed
// merged with one combination of those values; keys is the sorted list of
// searched keys. Combinations are numbered in product order: keys sorted,
// the last key varying fastest, so the result does not depend on the key
// order of the JSON text.
//
// method "grid" and "" return every combination ("" is PostgresML 2.x's
// behaviour when search_params is given without a search). "random" returns
// min(nIter, total) distinct combinations drawn with seed and listed in
// product order; the draw for a larger nIter includes that of a smaller one,
// so raising n_iter only adds candidates. With no search_params there is a
// single candidate, a copy of fixed.
//
// The candidate maps are fresh, but their values are shared with fixed and
// the decoded JSON.
func Candidates(fixed algorithms.Hyperparams, searchParams string, method string, nIter int, seed uint64) (candidates []algorithms.Hyperparams, keys []string, err error) {
	if err := CheckMethod(method); err != nil {
		return nil, nil, err
	}
	obj, err := decodeObject("search_params", searchParams)
	if err != nil {
		return nil, nil, err
	}
	keys = sortedKeys(obj)
	values := make([][]any, len(keys))
	total := int64(1)
	overflow := false
	for i, k := range keys {
		if _, ok := fixed[k]; ok {
			return nil, nil, fmt.Errorf("`%s` cannot be present in both hyperparams and search_params. Please choose one or the other.", k)
		}
		list, ok := obj[k].([]any)
		if !ok {
			return nil, nil, fmt.Errorf("search_params `%s` must be an array of candidate values, got %s", k, describe(obj[k]))
		}
		if len(list) == 0 {
			return nil, nil, fmt.Errorf("search_params `%s` is an empty array: give at least one candidate value", k)
		}
		values[i] = list
		if total > math.MaxInt64/int64(len(list)) {
			overflow = true
		} else {
			total *= int64(len(list))
		}
	}

	// want is how many candidates to return; when the combinations overflow
	// an int64 only a random search can pick among them.
	want := total
	if method == Random {
		if nIter < 1 {
			return nil, nil, fmt.Errorf("n_iter must be a positive integer, got %d", nIter)
		}
		if overflow || int64(nIter) < total {
			want = int64(nIter)
		}
	} else if overflow {
		return nil, nil, fmt.Errorf("search_params has more than %d combinations, too many to try: use search => 'random' or fewer values", int64(math.MaxInt64))
	}
	if want > MaxCandidates {
		return nil, nil, fmt.Errorf("the search would try %d candidates, more than the limit of %d: use search => 'random' with a smaller n_iter or fewer values", want, MaxCandidates)
	}

	var combos [][]int
	switch {
	case overflow:
		combos = sampleHuge(values, int(want), seed)
	case want < total:
		combos = digits(values, sample(total, want, seed))
	default:
		all := make([]int64, total)
		for i := range all {
			all[i] = int64(i)
		}
		combos = digits(values, all)
	}

	candidates = make([]algorithms.Hyperparams, len(combos))
	for c, combo := range combos {
		h := make(algorithms.Hyperparams, len(fixed)+len(keys))
		for k, v := range fixed {
			h[k] = v
		}
		for i, d := range combo {
			h[keys[i]] = values[i][d]
		}
		candidates[c] = h
	}
	return candidates, keys, nil
}

// digits turns combination numbers into per-key value indices by
// mixed-radix decoding, the last key least significant.
func digits(values [][]any, index []int64) [][]int {
	out := make([][]int, len(index))
	for c, idx := range index {
		d := make([]int, len(values))
		for i := len(values) - 1; i >= 0; i-- {
			n := int64(len(values[i]))
			d[i] = int(idx % n)
			idx /= n
		}
		out[c] = d
	}
	return out
}

// sample draws k distinct combination numbers from [0, total) and returns
// them sorted, i.e. in product order. It runs a partial Fisher–Yates shuffle
// over the virtual array 0..total-1, remembering only the displaced slots,
// so memory is O(k) however large total is, and the first k draws do not
// depend on k.
func sample(total, k int64, seed uint64) []int64 {
	rng := newRand(seed)
	moved := make(map[int64]int64, k)
	at := func(i int64) int64 {
		if v, ok := moved[i]; ok {
			return v
		}
		return i
	}
	out := make([]int64, k)
	for i := range k {
		j := i + rng.Int64N(total-i)
		out[i] = at(j)
		// Slot i is never read again, so only slot j needs to remember.
		moved[j] = at(i)
	}
	slices.Sort(out)
	return out
}

// sampleHuge draws k distinct combinations when their count does not fit an
// int64 (63 or more searched keys), one value index per key, redrawing the
// rare duplicates. Lexicographic order of the index tuples is product order.
func sampleHuge(values [][]any, k int, seed uint64) [][]int {
	rng := newRand(seed)
	seen := make(map[string]bool, k)
	out := make([][]int, 0, k)
	for len(out) < k {
		d := make([]int, len(values))
		for i, v := range values {
			d[i] = rng.IntN(len(v))
		}
		id := fmt.Sprint(d)
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, d)
	}
	slices.SortFunc(out, slices.Compare[[]int])
	return out
}

func newRand(seed uint64) *rand.Rand {
	// The second PCG word is fixed so that the draw depends on seed alone;
	// it is the one package sampling uses.
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}
