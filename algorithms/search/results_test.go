package search

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
)

// record fills a Results with scores[c][k] for candidate c on split k and
// zero timings.
func record(t *testing.T, scores [][]float64) *Results {
	t.Helper()
	cands := make([]hp, len(scores))
	for i := range cands {
		cands[i] = hp{}
	}
	splits := 0
	if len(scores) > 0 {
		splits = len(scores[0])
	}
	r := NewResults(cands, nil, splits)
	for c, row := range scores {
		for k, s := range row {
			if err := r.Record(c, k, s, 0, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	return r
}

func TestBestAndRank(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		name   string
		scores [][]float64
		best   int
		rank   []int
	}{
		{"mean, not last fold", [][]float64{{0.9, 0.9, 0.5}, {0.5, 0.5, 0.95}}, 0, []int{1, 2}},
		{"tie goes to lowest index", [][]float64{{0.5, 0.75}, {0.75, 0.5}, {0.25, 0.25}}, 0, []int{1, 1, 3}},
		{"tie after a better one", [][]float64{{0.25}, {0.5}, {0.5}, {0.75}}, 3, []int{4, 2, 2, 1}},
		{"NaN fold ranks last", [][]float64{{nan, 1}, {0.5, 0.5}, {0.125, 0.25}}, 1, []int{3, 1, 2}},
		{"all NaN", [][]float64{{nan}, {nan}}, 0, []int{1, 1}},
		{"NaNs share the last rank", [][]float64{{nan}, {-inf}, {nan}, {inf}}, 3, []int{3, 2, 3, 1}},
		{"negative scores", [][]float64{{-3, -1}, {-2, -1.5}}, 1, []int{2, 1}},
		{"one candidate", [][]float64{{0.1}}, 0, []int{1}},
		{"no candidates", nil, -1, []int{}},
	} {
		r := record(t, c.scores)
		if got := r.Best(); got != c.best {
			t.Errorf("%s: Best = %d, want %d", c.name, got, c.best)
		}
		s := r.Summary()
		if got := s["rank_test_score"].([]int); !slices.Equal(got, c.rank) {
			t.Errorf("%s: rank_test_score = %v, want %v", c.name, got, c.rank)
		}
		if got := s["best_index"].(int); got != c.best {
			t.Errorf("%s: best_index = %d, want %d", c.name, got, c.best)
		}
	}
}

func TestUnrecordedSplitRanksLast(t *testing.T) {
	r := NewResults([]hp{{}, {}}, nil, 2)
	r.Record(0, 0, 0.1, 0, 0)
	r.Record(0, 1, 0.1, 0, 0)
	r.Record(1, 0, 0.9, 0, 0) // split 1 never recorded
	if got := r.Best(); got != 0 {
		t.Errorf("Best = %d, want 0: a candidate missing a split must not win", got)
	}
	if m := r.MeanScore(1); !math.IsNaN(m) {
		t.Errorf("MeanScore of incomplete candidate = %v, want NaN", m)
	}
	if m := r.MeanScore(0); m != 0.1 {
		t.Errorf("MeanScore(0) = %v, want 0.1", m)
	}
	if m := r.MeanScore(2); !math.IsNaN(m) {
		t.Errorf("MeanScore out of range = %v, want NaN", m)
	}
}

func TestMeanStdIsPopulation(t *testing.T) {
	for _, c := range []struct {
		x         []float64
		mean, std float64
	}{
		{[]float64{1, 2, 3, 4}, 2.5, math.Sqrt(1.25)}, // ddof=1 would give 1.29
		{[]float64{0.5, 0.75}, 0.625, 0.125},
		{[]float64{7}, 7, 0},
		{[]float64{2, 4, 4, 4, 5, 5, 7, 9}, 5, 2},
	} {
		m, s := meanStd(c.x)
		if math.Abs(m-c.mean) > 1e-15 || math.Abs(s-c.std) > 1e-15 {
			t.Errorf("meanStd(%v) = %v, %v, want %v, %v", c.x, m, s, c.mean, c.std)
		}
	}
	if m, s := meanStd(nil); !math.IsNaN(m) || !math.IsNaN(s) {
		t.Errorf("meanStd(nil) = %v, %v, want NaN", m, s)
	}
}

func TestRecordOutOfRange(t *testing.T) {
	r := NewResults([]hp{{}, {}}, nil, 3)
	for _, c := range [][2]int{{-1, 0}, {2, 0}, {0, -1}, {0, 3}} {
		if err := r.Record(c[0], c[1], 1, 1, 1); err == nil {
			t.Errorf("Record(%d, %d): no error", c[0], c[1])
		}
	}
	if err := r.Record(1, 2, 1, 1, 1); err != nil {
		t.Errorf("Record(1, 2): %v", err)
	}
}

func TestNoFoldsIsOneSplit(t *testing.T) {
	r := NewResults([]hp{{"a": 1.0}}, []string{"a"}, 0)
	if r.NumSplits() != 1 {
		t.Fatalf("NumSplits = %d, want 1", r.NumSplits())
	}
	if err := r.Record(0, 0, 0.5, 1, 1); err != nil {
		t.Fatal(err)
	}
	s := r.Summary()
	if s["n_splits"] != 1 || s["split0_test_score"].(Scores)[0] != 0.5 {
		t.Errorf("summary without folds: %v", s)
	}
	if _, ok := s["split1_test_score"]; ok {
		t.Error("summary has a second split")
	}
}

// TestSummary checks search_results on a hand-computed example: two values
// of alpha, two folds.
//
//	candidate  scores       fit times  score times
//	alpha=0.5  0.5, 0.75    1, 3       0.5, 0.5
//	alpha=1    1.0, 0.5     2, 2       0.25, 0.75
//
// Means are 0.625 and 0.75, so alpha=1 is best although alpha=0.5 wins the
// last fold, which is what PostgresML 2.x would have kept.
func TestSummary(t *testing.T) {
	cands, keys, err := Candidates(hp{"max_iter": 100.0}, `{"alpha": [0.5, 1]}`, "grid", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	folds, err := Folds(6, 2)
	if err != nil {
		t.Fatal(err)
	}
	r := NewResults(cands, keys, len(folds))
	for _, rec := range []struct {
		c, k               int
		score, fit, score2 float64
	}{
		{0, 0, 0.5, 1, 0.5}, {0, 1, 0.75, 3, 0.5},
		{1, 0, 1.0, 2, 0.25}, {1, 1, 0.5, 2, 0.75},
	} {
		if err := r.Record(rec.c, rec.k, rec.score, rec.fit, rec.score2); err != nil {
			t.Fatal(err)
		}
	}
	got, err := json.Marshal(r.Summary())
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"best_index":1,` +
		`"mean_fit_time":[2,2],` +
		`"mean_score_time":[0.5,0.5],` +
		`"mean_test_score":[0.625,0.75],` +
		`"n_splits":2,` +
		`"param_alpha":[0.5,1],` +
		`"params":[{"alpha":0.5},{"alpha":1}],` +
		`"rank_test_score":[2,1],` +
		`"split0_test_score":[0.5,1],` +
		`"split1_test_score":[0.75,0.5],` +
		`"std_fit_time":[1,0],` +
		`"std_score_time":[0,0.25],` +
		`"std_test_score":[0.125,0.25]}`
	if string(got) != want {
		t.Errorf("Summary:\n got %s\nwant %s", got, want)
	}
	if r.Best() != 1 || cands[r.Best()]["alpha"] != 1.0 {
		t.Errorf("Best = %d", r.Best())
	}
}

func TestSummaryMarshalsNaN(t *testing.T) {
	r := NewResults([]hp{{"a": 1.0}, {"a": 2.0}}, []string{"a"}, 2)
	r.Record(0, 0, math.NaN(), 1, 1)
	r.Record(0, 1, 0.5, 1, 1)
	r.Record(1, 0, math.Inf(-1), 1, 1)
	r.Record(1, 1, 0.5, 1, 1)
	got, err := json.Marshal(r.Summary())
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var back map[string]any
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	want := []any{nil, nil}
	if !slices.Equal(back["mean_test_score"].([]any), want) {
		t.Errorf("mean_test_score = %v, want %v", back["mean_test_score"], want)
	}
	if back["best_index"] != 1.0 || !slices.Equal(back["rank_test_score"].([]any), []any{2.0, 1.0}) {
		t.Errorf("-Inf must beat NaN: %s", got)
	}
}
