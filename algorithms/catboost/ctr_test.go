package catboost

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// TestOrderedTargetStatisticsByHand: each row sees only the rows of its category before it
// in the order, never its own label.
func TestOrderedTargetStatisticsByHand(t *testing.T) {
	codes := []float64{7, 9, 7, 7, 9}
	target := []float64{1, 0, 0, 1, 1}
	prior := 0.5
	got := OrderedTargetStatistics(codes, target, []int{0, 1, 2, 3, 4}, prior)
	// row 0: first 7: (0 + .5)/(0 + 1); row 1: first 9; row 2: after one 7 of label 1:
	// (1 + .5)/(1 + 1); row 3: after labels 1, 0: (1 + .5)/(2 + 1); row 4: after one 9 of 0.
	want := []float64{0.5, 0.5, 0.75, 0.5, 0.25}
	if !slices.Equal(got, want) {
		t.Errorf("in row order: got %v, want %v", got, want)
	}
	got = OrderedTargetStatistics(codes, target, []int{4, 3, 2, 1, 0}, prior)
	// Reversed: row 4 first of 9; row 3 first of 7; row 2 after label 1; row 1 after one
	// 9 of label 1; row 0 after labels 1, 0.
	want = []float64{0.5, 0.75, 0.75, 0.5, 0.5}
	if !slices.Equal(got, want) {
		t.Errorf("reversed: got %v, want %v", got, want)
	}
	table := newCtrTable(0, codes, target, prior)
	for _, c := range []struct{ code, want float64 }{{7, 2.5 / 4}, {9, 1.5 / 3}, {8, 0.5}} {
		if got := table.value(c.code); got != c.want {
			t.Errorf("table value of %v: %v, want %v", c.code, got, c.want)
		}
	}
}

// categoricalData has a categorical column whose codes carry the signal through a
// permutation (so their order says nothing) and a noise column.
func categoricalData(n int, seed uint64) (x, y algorithms.Matrix) {
	rng := rand.New(rand.NewPCG(seed, 1))
	effect := []float64{3, -2, 0.5, 1, -3, 2, -1, 0, 2.5, -2.5}
	x = algorithms.Matrix{Rows: n, Cols: 2}
	y = algorithms.Matrix{Rows: n, Cols: 1}
	for i := 0; i < n; i++ {
		code := rng.IntN(len(effect))
		x.Data = append(x.Data, float64(code*37%11), rng.NormFloat64())
		y.Data = append(y.Data, effect[code]+0.3*rng.NormFloat64())
	}
	return x, y
}

func TestCategoricalFeatureImprovesShallowTrees(t *testing.T) {
	x, y := categoricalData(2000, 1)
	xTest, yTest := categoricalData(500, 2)
	mse := func(hp algorithms.Hyperparams) float64 {
		m := mustFit(t, algorithms.Regression, x, y, hp)
		pred := make([]float64, xTest.Rows)
		m.Predict(pred, xTest.Data)
		var sum float64
		for i, p := range pred {
			sum += (p - yTest.Data[i]) * (p - yTest.Data[i])
		}
		return sum / float64(len(pred))
	}
	// Depth 1 and few iterations: a numeric split on arbitrary codes separates little,
	// a split on the target statistic orders the categories by their effect.
	plain := mse(algorithms.Hyperparams{"iterations": 3.0, "depth": 1.0, "learning_rate": 0.5})
	withCat := mse(algorithms.Hyperparams{"iterations": 3.0, "depth": 1.0, "learning_rate": 0.5, "cat_features": []any{0.0}})
	if !(withCat < 0.8*plain) {
		t.Errorf("test MSE with cat_features %v, without %v: the statistics did not help", withCat, plain)
	}
	// An unseen category predicts from the prior, without error.
	m := mustFit(t, algorithms.Regression, x, y, algorithms.Hyperparams{"iterations": 10.0, "cat_features": []any{0.0}})
	dst := []float64{0}
	m.Predict(dst, []float64{1234, 0})
	if math.IsNaN(dst[0]) {
		t.Error("unseen category predicted NaN")
	}
	// The tables survive marshalling.
	b := marshal(t, m)
	loaded, err := Unmarshal(algorithms.Regression, payloadOf(t, b))
	if err != nil {
		t.Fatal(err)
	}
	got := []float64{0}
	for _, row := range [][]float64{{1234, 0}, {x.Data[0], x.Data[1]}} {
		m.Predict(dst, row)
		loaded.Predict(got, row)
		if dst[0] != got[0] {
			t.Errorf("row %v: loaded model predicts %v, trained %v", row, got[0], dst[0])
		}
	}
}

func TestCategoricalBinary(t *testing.T) {
	x, y := categoricalData(1000, 3)
	for i, v := range y.Data {
		y.Data[i] = 0
		if v > 0.75 {
			y.Data[i] = 1
		}
	}
	m := mustFit(t, algorithms.Classification, x, y, algorithms.Hyperparams{"iterations": 20.0, "cat_features": []any{0.0}})
	pred := make([]float64, x.Rows)
	m.Predict(pred, x.Data)
	wrong := 0
	for i := range pred {
		if pred[i] != y.Data[i] {
			wrong++
		}
	}
	// The label is mostly a function of the category (noise flips a few near 0.75).
	if wrong > x.Rows/10 {
		t.Errorf("%d of %d training rows wrong", wrong, x.Rows)
	}
}
