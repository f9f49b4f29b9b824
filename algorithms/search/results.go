package search

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/pgml-go/pgml/algorithms"
)

// Results collects the score and timings of every candidate on every split
// and summarises them like scikit-learn's cv_results_.
type Results struct {
	keys    []string
	params  []map[string]any // searched keys of each candidate
	nSplits int
	// Indexed [candidate][split]; NaN until recorded, so a candidate whose
	// fit failed or was skipped ranks last rather than winning with zero.
	score, fitTime, scoreTime [][]float64
}

// NewResults prepares to record the candidates returned by Candidates, with
// keys the searched keys, over nSplits folds. nSplits is len(Folds(...)):
// 0 (no folds) counts as the one train/test split.
func NewResults(candidates []algorithms.Hyperparams, keys []string, nSplits int) *Results {
	nSplits = max(nSplits, 1)
	r := &Results{
		keys:      slices.Clone(keys),
		params:    make([]map[string]any, len(candidates)),
		nSplits:   nSplits,
		score:     nanGrid(len(candidates), nSplits),
		fitTime:   nanGrid(len(candidates), nSplits),
		scoreTime: nanGrid(len(candidates), nSplits),
	}
	for c, h := range candidates {
		p := make(map[string]any, len(keys))
		for _, k := range keys {
			p[k] = h[k]
		}
		r.params[c] = p
	}
	return r
}

func nanGrid(rows, cols int) [][]float64 {
	data := make([]float64, rows*cols)
	for i := range data {
		data[i] = math.NaN()
	}
	g := make([][]float64, rows)
	for i := range g {
		g[i] = data[i*cols : (i+1)*cols : (i+1)*cols]
	}
	return g
}

// NumSplits returns the number of splits each candidate is scored on.
func (r *Results) NumSplits() int { return r.nSplits }

// Record stores the target metric of candidate on split (higher is better;
// NaN for a failed fit) and the seconds spent fitting and scoring. Recording
// the same pair again overwrites it. Indices out of range are an error.
func (r *Results) Record(candidate, split int, score, fitSeconds, scoreSeconds float64) error {
	if candidate < 0 || candidate >= len(r.score) {
		return fmt.Errorf("search: candidate %d out of range [0, %d)", candidate, len(r.score))
	}
	if split < 0 || split >= r.nSplits {
		return fmt.Errorf("search: split %d out of range [0, %d)", split, r.nSplits)
	}
	r.score[candidate][split] = score
	r.fitTime[candidate][split] = fitSeconds
	r.scoreTime[candidate][split] = scoreSeconds
	return nil
}

// MeanScore returns the mean score of candidate over the splits, NaN when a
// split is missing or the candidate is out of range.
func (r *Results) MeanScore(candidate int) float64 {
	if candidate < 0 || candidate >= len(r.score) {
		return math.NaN()
	}
	m, _ := meanStd(r.score[candidate])
	return m
}

// Best returns the candidate with the highest mean score over the splits.
// Ties go to the lowest index and NaN means rank last, so Best is 0 when no
// candidate has a usable score; it is -1 only when there are no candidates.
func (r *Results) Best() int {
	order, _ := r.ranking()
	if len(order) == 0 {
		return -1
	}
	return order[0]
}

// ranking returns the candidates from best to worst and their ranks, 1 for
// the best; tied candidates share the lowest rank of their group, and all
// NaN means share the last one, as scikit-learn's rank_test_score does.
func (r *Results) ranking() (order, rank []int) {
	means := make([]float64, len(r.score))
	for c := range means {
		means[c] = r.MeanScore(c)
	}
	order = make([]int, len(means))
	for i := range order {
		order[i] = i
	}
	// cmp.Compare orders NaN below every number, so descending puts it last.
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(means[b], means[a]) })
	rank = make([]int, len(means))
	for i, c := range order {
		if i > 0 && cmp.Compare(means[c], means[order[i-1]]) == 0 {
			rank[c] = rank[order[i-1]]
		} else {
			rank[c] = i + 1
		}
	}
	return order, rank
}

// Summary returns search_results, ready for json.Marshal:
//
//	params                 []map[string]any  searched keys of each candidate
//	n_splits, best_index   int
//	mean_fit_time, std_fit_time, mean_score_time, std_score_time,
//	mean_test_score, std_test_score   Scores, one per candidate
//	rank_test_score        []int, 1 for the best
//	split<k>_test_score    Scores, one per candidate, for k = 0..n_splits-1
//	param_<key>            []any, one per candidate, for each searched key
//
// Standard deviations are population ones (ddof 0) like scikit-learn's.
// Lists of numbers are Scores so that NaN (a failed fit) marshals as null
// instead of failing the whole encoding.
func (r *Results) Summary() map[string]any {
	n := len(r.score)
	order, rank := r.ranking()
	best := -1
	if n > 0 {
		best = order[0]
	}
	out := map[string]any{
		"n_splits":        r.nSplits,
		"best_index":      best,
		"rank_test_score": rank,
	}
	for _, m := range []struct {
		name string
		grid [][]float64
	}{
		{"fit_time", r.fitTime},
		{"score_time", r.scoreTime},
		{"test_score", r.score},
	} {
		mean, std := make(Scores, n), make(Scores, n)
		for c, row := range m.grid {
			mean[c], std[c] = meanStd(row)
		}
		out["mean_"+m.name] = mean
		out["std_"+m.name] = std
	}
	for k := range r.nSplits {
		split := make(Scores, n)
		for c := range split {
			split[c] = r.score[c][k]
		}
		out["split"+strconv.Itoa(k)+"_test_score"] = split
	}
	params := make([]map[string]any, n)
	for c, p := range r.params {
		params[c] = make(map[string]any, len(p))
		for k, v := range p {
			params[c][k] = v
		}
	}
	out["params"] = params
	for _, key := range r.keys {
		col := make([]any, n)
		for c, p := range r.params {
			col[c] = p[key]
		}
		out["param_"+key] = col
	}
	return out
}

// meanStd returns the mean and population standard deviation of x.
func meanStd(x []float64) (mean, std float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(x)))
}

// Scores is a list of numbers that marshals NaN and ±Inf as JSON null,
// which encoding/json would otherwise refuse.
type Scores []float64

// MarshalJSON implements json.Marshaler.
func (s Scores) MarshalJSON() ([]byte, error) {
	if s == nil {
		return []byte("null"), nil
	}
	out := make([]any, len(s))
	for i, v := range s {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out[i] = v
		}
	}
	return json.Marshal(out)
}
