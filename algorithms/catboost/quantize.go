package catboost

import (
	"slices"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// quantized holds every feature as bin indexes, column by column: bins[f*rows+i] is the
// number of borders of feature f below row i's value, so row i goes right at border j of
// feature f exactly when bins[f*rows+i] > j.
type quantized struct {
	rows    int
	bins    []uint8
	borders [][]float64 // sorted, per feature; empty for a constant feature
}

// selectBorders returns at most count borders for one feature's sorted values: midpoints
// between consecutive distinct values, all of them when they are few enough, otherwise
// the ones at equally spaced ranks (the median grid; see docs/catboost.md for how this
// differs from CatBoost's GreedyLogSum).
func selectBorders(sorted []float64, count int) []float64 {
	distinct := slices.Compact(slices.Clone(sorted))
	if len(distinct)-1 <= count {
		borders := make([]float64, 0, len(distinct)-1)
		for k := 1; k < len(distinct); k++ {
			borders = append(borders, midpoint(distinct[k-1], distinct[k]))
		}
		return borders
	}
	n := len(sorted)
	borders := make([]float64, 0, count)
	for k := 1; k <= count; k++ {
		lo := sorted[k*n/(count+1)]
		// The next distinct value after lo.
		next := sort.SearchFloat64s(distinct, lo) + 1
		if next >= len(distinct) {
			break
		}
		b := midpoint(lo, distinct[next])
		if len(borders) == 0 || b > borders[len(borders)-1] {
			borders = append(borders, b)
		}
	}
	return borders
}

// midpoint is the border between distinct values a < b: their mean, or b when rounding
// would put the mean on a (then a still goes left and b right).
func midpoint(a, b float64) float64 {
	m := a + (b-a)/2
	if !(m > a) {
		return b
	}
	return m
}

// quantize computes the borders of every feature of x and bins every value.
func quantize(check *cancel.Checker, x algorithms.Matrix, count int, skip []int) (*quantized, error) {
	n, p := x.Rows, x.Cols
	q := &quantized{rows: n, bins: make([]uint8, n*p), borders: make([][]float64, p)}
	column := make([]float64, n)
	buf := make([]float64, n)
	for f := 0; f < p; f++ {
		if slices.Contains(skip, f) {
			continue
		}
		for i := 0; i < n; i++ {
			column[i] = x.Data[i*p+f]
		}
		if err := q.setFeature(check, f, column, buf, count); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// setFeature chooses the borders of feature f from its values and bins them; column is
// reordered.
func (q *quantized) setFeature(check *cancel.Checker, f int, column, buf []float64, count int) error {
	n := q.rows
	values := slices.Clone(column)
	if err := cancel.SortFloat64s(check, column, buf); err != nil {
		return err
	}
	q.borders[f] = selectBorders(column, count)
	if err := check.Add(n * 8); err != nil {
		return err
	}
	out := q.bins[f*n : (f+1)*n]
	for i, v := range values {
		out[i] = uint8(binOf(q.borders[f], v))
	}
	return nil
}

// binOf is the number of borders strictly below v.
func binOf(borders []float64, v float64) int {
	return sort.Search(len(borders), func(j int) bool { return borders[j] >= v })
}
