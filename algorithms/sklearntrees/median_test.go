package sklearntrees

import (
	"math"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// The weighted median is the first value, in sorted order, whose cumulative weight reaches
// half the total (AdaBoostRegressor._get_median_predict), worked out here by hand.
func TestWeightedMedian(t *testing.T) {
	for _, c := range []struct {
		name   string
		values []weightedValue
		want   float64
	}{
		{"equal weights, odd", []weightedValue{{3, 1}, {1, 1}, {2, 1}}, 2},
		// Cumulative 1, 2 of 4: the second reaches half exactly, so it is the median.
		{"equal weights, even", []weightedValue{{4, 1}, {1, 1}, {3, 1}, {2, 1}}, 2},
		// Cumulative 1, 2, 7 of 7: only the heavy last value reaches 3.5.
		{"heavy largest", []weightedValue{{1, 1}, {3, 5}, {2, 1}}, 3},
		// Cumulative 5 of 7 at once.
		{"heavy smallest", []weightedValue{{3, 1}, {2, 1}, {-1, 5}}, -1},
		// The tie (2, 2) holds cumulative 1..4 of 5: whichever sorts first, the median is 2.
		{"ties", []weightedValue{{2, 1}, {9, 1}, {2, 2}, {0, 1}}, 2},
		{"zero weights", []weightedValue{{1, 0}, {5, 2}, {7, 0}}, 5},
		{"one tree", []weightedValue{{4.5, 0.3}}, 4.5},
		{"no tree", nil, 0},
	} {
		if got := weightedMedian(c.values); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// stumps is an AdaBoostRegressor-like ensemble of three stumps on one feature (x <= 0 goes
// left) and the given weights: left leaves 1, 2, 3, right leaves 30, 20, 10.
func stumps(t *testing.T, outputs []int32, weights []float64) *Ensemble {
	t.Helper()
	m, err := New(stumpArrays(outputs, weights))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func stumpArrays(outputs []int32, weights []float64) Arrays {
	var a Arrays
	for i, leaves := range [][2]float64{{1, 30}, {2, 20}, {3, 10}} {
		root := int32(3 * i)
		a.Feature = append(a.Feature, 0, 0, 0)
		a.Threshold = append(a.Threshold, 0, 0, 0)
		a.Left = append(a.Left, root+1, -1, -1)
		a.Right = append(a.Right, root+2, -1, -1)
		a.Missing = append(a.Missing, root+2, -1, -1)
		a.Values = append(a.Values, 0, leaves[0], leaves[1])
		a.Roots = append(a.Roots, root)
	}
	margins := int(outputs[len(outputs)-1]) + 1
	return Arrays{Algorithm: "ada_boost", Task: algorithms.Regression, Combine: WeightedMedian, CastFloat32: true,
		NumFeatures: 1, Feature: a.Feature, Left: a.Left, Right: a.Right, Missing: a.Missing, Threshold: a.Threshold,
		Values: a.Values, Width: 1, Roots: a.Roots, TreeOutput: outputs, TreeWeight: weights,
		Init: make([]float64, margins), Scale: 1}
}

// An ensemble predicts each row's weighted median per output, reads back from its file the
// same, and allocates the same for one row as for many (nothing per row).
func TestWeightedMedianEnsemble(t *testing.T) {
	m := stumps(t, []int32{0, 0, 0}, []float64{1, 1, 5})
	// x = -1: values 1, 2, 3 (cumulative 1, 2, 7 of 7) → 3; x = 1: 30, 20, 10 → 10 weighs 5 → 10.
	got := make([]float64, 2)
	m.Predict(got, []float64{-1, 1})
	if got[0] != 3 || got[1] != 10 {
		t.Fatalf("predicted %v, want [3 10]", got)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	_, payload, err := modelfile.ReadHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Unmarshal(algorithms.Regression, payload)
	if err != nil {
		t.Fatal(err)
	}
	again := make([]float64, 2)
	loaded.Predict(again, []float64{-1, 1})
	if again[0] != got[0] || again[1] != got[1] {
		t.Fatalf("read back, it predicts %v, want %v", again, got)
	}
	// Two outputs: the first of trees 0 and 1, the second of tree 2 alone.
	joint := stumps(t, []int32{0, 0, 1}, []float64{1, 2, 1})
	got = make([]float64, 4)
	joint.Predict(got, []float64{-1, 1})
	if want := []float64{2, 3, 20, 10}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Fatalf("joint predicted %v, want %v", got, want)
	}
	x := make([]float64, 1000)
	many, one := make([]float64, 1000), make([]float64, 1)
	if a, b := testing.AllocsPerRun(10, func() { m.Predict(many, x) }), testing.AllocsPerRun(10, func() { m.Predict(one, x[:1]) }); a != b || a > 1 {
		t.Fatalf("%v allocations for 1000 rows, %v for one", a, b)
	}
}

// Weights that do not fit the trees are refused.
func TestRejectsBadTreeWeights(t *testing.T) {
	for name, weights := range map[string][]float64{"missing": {1, 1}, "negative": {1, -1, 1}, "NaN": {1, math.NaN(), 1},
		"infinite": {1, math.Inf(1), 1}} {
		if _, err := New(stumpArrays([]int32{0, 0, 0}, weights)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Other combinations have no tree weights.
	a := stumpArrays([]int32{0, 0, 0}, []float64{1, 1, 1})
	a.Combine = Raw
	if _, err := New(a); err == nil {
		t.Error("tree weights of a sum of trees: accepted")
	}
}
