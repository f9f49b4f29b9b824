package search

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

type hp = algorithms.Hyperparams

func TestCandidatesGrid(t *testing.T) {
	for _, c := range []struct {
		name   string
		fixed  hp
		params string
		method string
		keys   []string
		want   []hp
	}{
		{
			name:   "keys sorted, last fastest, whatever the JSON order",
			fixed:  hp{"learning_rate": 0.1},
			params: `{"n_estimators": [10, 20], "max_depth": [1, 2, 3]}`,
			method: "grid",
			keys:   []string{"max_depth", "n_estimators"},
			want: []hp{
				{"learning_rate": 0.1, "max_depth": 1.0, "n_estimators": 10.0},
				{"learning_rate": 0.1, "max_depth": 1.0, "n_estimators": 20.0},
				{"learning_rate": 0.1, "max_depth": 2.0, "n_estimators": 10.0},
				{"learning_rate": 0.1, "max_depth": 2.0, "n_estimators": 20.0},
				{"learning_rate": 0.1, "max_depth": 3.0, "n_estimators": 10.0},
				{"learning_rate": 0.1, "max_depth": 3.0, "n_estimators": 20.0},
			},
		},
		{
			name:   "no search method still expands the grid",
			params: `{"kernel": ["linear", "rbf"], "C": [1]}`,
			keys:   []string{"C", "kernel"},
			want:   []hp{{"C": 1.0, "kernel": "linear"}, {"C": 1.0, "kernel": "rbf"}},
		},
		{
			name:   "array values are candidates too",
			params: `{"hidden_layer_sizes": [[10], [10, 5]], "fit_intercept": [true, false]}`,
			method: "grid",
			keys:   []string{"fit_intercept", "hidden_layer_sizes"},
			want: []hp{
				{"fit_intercept": true, "hidden_layer_sizes": []any{10.0}},
				{"fit_intercept": true, "hidden_layer_sizes": []any{10.0, 5.0}},
				{"fit_intercept": false, "hidden_layer_sizes": []any{10.0}},
				{"fit_intercept": false, "hidden_layer_sizes": []any{10.0, 5.0}},
			},
		},
		{
			name:   "no search params: one candidate, the fixed hyperparams",
			fixed:  hp{"alpha": 2.0},
			params: "",
			method: "grid",
			keys:   []string{},
			want:   []hp{{"alpha": 2.0}},
		},
		{
			name:   "null and {} are no search params",
			params: "null",
			keys:   []string{},
			want:   []hp{{}},
		},
		{
			name:   "random with n_iter >= total is the whole grid in order",
			params: `{"b": [1, 2], "a": ["x", "y"]}`,
			method: "random",
			keys:   []string{"a", "b"},
			want:   []hp{{"a": "x", "b": 1.0}, {"a": "x", "b": 2.0}, {"a": "y", "b": 1.0}, {"a": "y", "b": 2.0}},
		},
	} {
		got, keys, err := Candidates(c.fixed, c.params, c.method, 10, 42)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !slices.Equal(keys, c.keys) {
			t.Errorf("%s: keys %q, want %q", c.name, keys, c.keys)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
	}
}

func TestCandidatesDoNotAliasFixed(t *testing.T) {
	fixed := hp{"alpha": 1.0}
	got, _, err := Candidates(fixed, `{"beta": [1, 2]}`, "grid", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	got[0]["alpha"] = 5.0
	if fixed["alpha"] != 1.0 || got[1]["alpha"] != 1.0 || len(fixed) != 1 {
		t.Errorf("candidates share a map with fixed or each other: fixed %v, got %v", fixed, got)
	}
}

func TestCandidatesErrors(t *testing.T) {
	for _, c := range []struct {
		fixed  hp
		params string
		method string
		nIter  int
		want   string // exact message, or prefix ending in "…"
	}{
		{hp{"alpha": 1.0}, `{"alpha": [1, 2]}`, "grid", 10,
			"`alpha` cannot be present in both hyperparams and search_params. Please choose one or the other."},
		{nil, `{"alpha": 1}`, "grid", 10,
			"search_params `alpha` must be an array of candidate values, got 1"},
		{nil, `{"alpha": {"a": [1]}}`, "", 10,
			`search_params ` + "`alpha`" + ` must be an array of candidate values, got {"a":[1]}`},
		{nil, `{"b": [1], "alpha": []}`, "grid", 10,
			"search_params `alpha` is an empty array: give at least one candidate value"},
		{nil, `{"alpha": [1]}`, "bayes", 10,
			"Unknown hyperparam search `bayes`, available options are: grid, random."},
		{nil, `[1, 2]`, "grid", 10, "search_params must be a JSON object, got [1,2]"},
		{nil, `{"alpha": [1,}`, "grid", 10, "search_params is not valid JSON…"},
		{nil, `{"alpha": [1, 1e400]}`, "grid", 10, `search_params key "alpha" is out of range: 1e400 is beyond the range of double precision…`},
		{nil, `{"alpha": [1, 2]}`, "random", 0, "n_iter must be a positive integer, got 0"},
		{nil, tooBig(6, 10), "grid", 10,
			"the search would try 1000000 candidates, more than the limit of 100000…"},
		{nil, tooBig(6, 10), "random", 200000,
			"the search would try 200000 candidates, more than the limit of 100000…"},
		{nil, tooBig(64, 2), "", 10, "search_params has more than 9223372036854775807 combinations…"},
	} {
		_, _, err := Candidates(c.fixed, c.params, c.method, c.nIter, 1)
		if err == nil {
			t.Errorf("Candidates(%.40q, %q): no error, want %q", c.params, c.method, c.want)
			continue
		}
		if prefix, ok := strings.CutSuffix(c.want, "…"); ok {
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("Candidates(%.40q, %q): %q, want prefix %q", c.params, c.method, err, prefix)
			}
		} else if err.Error() != c.want {
			t.Errorf("Candidates(%.40q, %q): %q, want %q", c.params, c.method, err, c.want)
		}
	}
}

// tooBig returns search_params with keys k00, k01, … each holding values
// candidate values.
func tooBig(keys, values int) string {
	var b strings.Builder
	b.WriteString("{")
	for k := range keys {
		if k > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%02d":[`, k)
		for v := range values {
			if v > 0 {
				b.WriteString(",")
			}
			fmt.Fprint(&b, v)
		}
		b.WriteString("]")
	}
	b.WriteString("}")
	return b.String()
}

func TestCandidatesRandom(t *testing.T) {
	const params = `{"a": [1, 2, 3, 4], "b": [1, 2, 3, 4, 5], "c": ["x", "y", "z"]}` // 60 combinations
	grid, _, err := Candidates(hp{"fixed": true}, params, "grid", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	position := func(h hp) int {
		for i, g := range grid {
			if reflect.DeepEqual(g, h) {
				return i
			}
		}
		return -1
	}
	draw := func(nIter int, seed uint64) []int {
		t.Helper()
		got, _, err := Candidates(hp{"fixed": true}, params, "random", nIter, seed)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != min(nIter, len(grid)) {
			t.Fatalf("n_iter %d: %d candidates", nIter, len(got))
		}
		pos := make([]int, len(got))
		for i, h := range got {
			if pos[i] = position(h); pos[i] < 0 {
				t.Fatalf("n_iter %d: candidate %v is not in the grid", nIter, h)
			}
		}
		// Strictly increasing: distinct and in product order.
		for i := 1; i < len(pos); i++ {
			if pos[i] <= pos[i-1] {
				t.Fatalf("n_iter %d seed %d: grid positions %v not distinct and increasing", nIter, seed, pos)
			}
		}
		return pos
	}

	a, b := draw(10, 7), draw(10, 7)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different draws: %v and %v", a, b)
	}
	if c := draw(10, 8); slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 drew the same candidates %v", a)
	}
	if slices.Equal(a, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("random search took the head of the grid")
	}
	// Raising n_iter only adds candidates.
	small, large := draw(5, 7), draw(20, 7)
	for _, p := range small {
		if !slices.Contains(large, p) {
			t.Errorf("n_iter 5 drew %v, not all in the n_iter 20 draw %v", small, large)
			break
		}
	}
	if all := draw(60, 3); len(all) != 60 || all[59] != 59 {
		t.Errorf("n_iter = total did not return the grid: %v", all)
	}
	draw(1000, 3)

	// Every combination is reachable: over many seeds each grid position
	// is drawn at least once.
	seen := make([]bool, len(grid))
	for seed := range uint64(200) {
		for _, p := range draw(3, seed) {
			seen[p] = true
		}
	}
	if i := slices.Index(seen, false); i >= 0 {
		t.Errorf("grid position %d never drawn in 200 seeds", i)
	}
}

func TestCandidatesRandomHuge(t *testing.T) {
	// 2^70 combinations do not fit an int64; random search still works.
	params := tooBig(70, 2)
	got, keys, err := Candidates(nil, params, "random", 5, 9)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || len(keys) != 70 {
		t.Fatalf("%d candidates over %d keys, want 5 over 70", len(got), len(keys))
	}
	tuples := make([][]int, len(got))
	for i, h := range got {
		for _, k := range keys {
			tuples[i] = append(tuples[i], int(h[k].(float64)))
		}
	}
	for i := 1; i < len(tuples); i++ {
		if slices.Compare(tuples[i-1], tuples[i]) >= 0 {
			t.Errorf("candidates not distinct and in product order: %v then %v", tuples[i-1], tuples[i])
		}
	}
	// The first keys must vary too, which decoding a number below 2^63
	// would not allow.
	ones := 0
	for _, tup := range tuples {
		ones += tup[0] + tup[1] + tup[2]
	}
	again, _, _ := Candidates(nil, params, "random", 5, 9)
	if !reflect.DeepEqual(got, again) {
		t.Error("huge random search is not deterministic")
	}
	if ones == 0 {
		t.Error("the leading keys never left their first value")
	}
}
