package sklearntrees

import (
	"context"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/forest"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// benchmarkPerRow predicts the rows of x one at a time, as pgml.predict's row form does, and
// reports the forest's size (nodes), which the time per row grows with.
func benchmarkPerRow(b *testing.B, m interface {
	algorithms.Model
	NumNodes() int
}, x algorithms.Matrix) {
	dst := make([]float64, m.NumOutputs())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Predict(dst, x.Row(i))
		i = (i + 1) % x.Rows
	}
	b.ReportMetric(float64(m.NumNodes()), "nodes")
}

// A scikit-learn RandomForestRegressor of 100 trees fitted on the whole of diabetes (default
// hyperparameters: trees grown to pure leaves), converted: the benchmark's model (issue 11).
func BenchmarkPredictRowConvertedForest100Diabetes(b *testing.B) {
	x, _, err := datasets.Load("diabetes", "target")
	if err != nil {
		b.Fatal(err)
	}
	benchmarkPerRow(b, loadFixtures(b).BenchForest.build(b), x)
}

// pgml's own random forest of the same size on the same data, for the ratio.
func BenchmarkPredictRowNativeForest100Diabetes(b *testing.B) {
	x, y, err := datasets.Load("diabetes", "target")
	if err != nil {
		b.Fatal(err)
	}
	m, err := forest.FitRegressor(context.Background(), forest.RandomForest, x, y,
		algorithms.Hyperparams{"n_estimators": 100.0, "random_state": 0.0})
	if err != nil {
		b.Fatal(err)
	}
	benchmarkPerRow(b, m, x)
}
