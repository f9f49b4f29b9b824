package catboost

import (
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// OrderedTargetStatistics returns CatBoost's ordered target statistic of every row for one
// categorical column: rows are visited in order (a permutation of their indexes), and row
// i's statistic is (Σ target of the earlier rows of its category + prior) / (their count
// + 1). A row's own label never enters its statistic, which is what keeps the encoding from
// leaking the label into the feature (the prediction shift of plain target encoding).
// codes are the category codes (any numbers; equal numbers are one category).
func OrderedTargetStatistics(codes, target []float64, order []int, prior float64) []float64 {
	out := make([]float64, len(codes))
	sums := map[float64]float64{}
	counts := map[float64]float64{}
	for _, i := range order {
		c := codes[i]
		out[i] = (sums[c] + prior) / (counts[c] + 1)
		sums[c] += target[i]
		counts[c]++
	}
	return out
}

// ctrTable is the statistic of each category of one feature over all training rows, which
// prediction uses: (Σ target + prior) / (count + 1); an unseen category gets prior.
type ctrTable struct {
	feature int
	codes   []float64 // sorted
	values  []float64
	prior   float64
}

func newCtrTable(feature int, codes, target []float64, prior float64) ctrTable {
	sums := map[float64]float64{}
	counts := map[float64]float64{}
	for i, c := range codes {
		sums[c] += target[i]
		counts[c]++
	}
	t := ctrTable{feature: feature, prior: prior}
	for c := range counts {
		t.codes = append(t.codes, c)
	}
	slices.Sort(t.codes)
	for _, c := range t.codes {
		t.values = append(t.values, (sums[c]+prior)/(counts[c]+1))
	}
	return t
}

func (t *ctrTable) value(code float64) float64 {
	j := sort.SearchFloat64s(t.codes, code)
	if j < len(t.codes) && t.codes[j] == code {
		return t.values[j]
	}
	return t.prior
}

// ctrSlot is the index in ctrs of feature's table.
func ctrSlot(ctrs []ctrTable, feature int) int {
	for k := range ctrs {
		if ctrs[k].feature == feature {
			return k
		}
	}
	return -1
}

// fitCategorical replaces every categorical column of the quantized data by its ordered
// target statistics over one random permutation, and returns the tables prediction uses.
// The target is the label (RMSE) or the class index (Logloss: the share of the second
// class); the prior is its mean.
func fitCategorical(check *cancel.Checker, rng *rand.Rand, q *quantized, x algorithms.Matrix, prob problem, c config) ([]ctrTable, error) {
	n := x.Rows
	target := prob.targets.y
	if prob.loss == lossLogloss {
		target = make([]float64, n)
		for i, cl := range prob.targets.class {
			target[i] = float64(cl)
		}
	}
	var prior float64
	for _, v := range target {
		prior += v
	}
	prior /= float64(n)
	order := rng.Perm(n)
	codes := make([]float64, n)
	buf := make([]float64, n)
	var tables []ctrTable
	for _, f := range c.catFeatures {
		for i := 0; i < n; i++ {
			codes[i] = x.Data[i*x.Cols+f]
		}
		if err := check.Add(4 * n); err != nil {
			return nil, err
		}
		tables = append(tables, newCtrTable(f, codes, target, prior))
		column := OrderedTargetStatistics(codes, target, order, prior)
		if err := q.setFeature(check, f, column, buf, c.borderCount); err != nil {
			return nil, err
		}
	}
	return tables, nil
}
