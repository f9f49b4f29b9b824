package sklearntrees

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// AdaBoostRegressor predicts the weighted median of its trees' predictions
// (AdaBoostRegressor._get_median_predict): sorted by value, the first whose cumulative weight
// reaches half the total.

// checkTreeWeights verifies a WeightedMedian's weights (one finite, non-negative weight per
// tree, leaves of one value) and that no other combination has any.
func (e *Ensemble) checkTreeWeights() error {
	if e.combine != WeightedMedian {
		if len(e.treeWeight) != 0 {
			return fmt.Errorf("sklearntrees: tree weights for combination %d", e.combine)
		}
		return nil
	}
	if len(e.treeWeight) != len(e.roots) || e.width != 1 {
		return fmt.Errorf("sklearntrees: %d tree weights for %d trees with leaves of %d values", len(e.treeWeight), len(e.roots), e.width)
	}
	for t, w := range e.treeWeight {
		if !(w >= 0) || math.IsInf(w, 0) {
			return fmt.Errorf("sklearntrees: tree %d weighs %g", t, w)
		}
	}
	return nil
}

// weightedValue is one tree's prediction of a row and the tree's weight.
type weightedValue struct{ value, weight float64 }

// predictMedians writes each row's weighted medians, one per output. The trees' predictions of
// a row are gathered into one buffer for the whole call: nothing is allocated per row.
func (e *Ensemble) predictMedians(dst, x []float64) {
	p, k := e.features, e.NumOutputs()
	votes := make([]weightedValue, len(e.roots))
	var rounded [maxRoundedFeatures]float64
	for r := 0; r*p < len(x); r++ {
		row, cast := e.roundedRow(&rounded, x[r*p:(r+1)*p])
		for o := range k {
			n := 0
			for t, root := range e.roots {
				if int(e.treeOutput[t]) != o {
					continue
				}
				leaf := e.nodes[walk(e.nodes, root, row, cast)].next
				votes[n] = weightedValue{e.values[leaf], e.treeWeight[t]}
				n++
			}
			dst[r*k+o] = weightedMedian(votes[:n])
		}
	}
}

// weightedMedian sorts v by value and returns the first value whose cumulative weight is at
// least half the total, as scikit-learn computes it (a cumulative sum in sorted order, the
// total its last value). Ties of values may sort either way: the value found is the same.
// With no trees (an output of no estimator) it is 0.
func weightedMedian(v []weightedValue) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.SortFunc(v, func(a, b weightedValue) int { return cmp.Compare(a.value, b.value) })
	total := 0.0
	for _, w := range v {
		total += w.weight
	}
	half := 0.5 * total
	cumulative := 0.0
	for _, w := range v {
		cumulative += w.weight
		if cumulative >= half {
			return w.value
		}
	}
	return v[0].value // NaN weights: numpy's argmax of no true value
}
