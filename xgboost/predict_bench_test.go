package xgboost

import (
	"context"
	"math"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/boosting"
)

// BenchmarkPredictRow predicts one row per call, as pgml.predict does,
// through three engines of the same size (100 trees of depth at most 5
// over 10 features): an xgboost model predicted natively
// (algorithms/treeensemble), pgml's own gradient boosting
// (algorithms/boosting) and libxgboost's in-place predict on the same
// xgboost model (what this package called before issue 11). make bench
// (build/bench.sh) reports the ratios of one run.
func BenchmarkPredictRow(b *testing.B) {
	const rows, cols = 4000, 10
	x := algorithms.Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
	y := algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
	for i := range x.Data {
		x.Data[i] = math.Sin(float64(i)*0.37) + math.Cos(float64(i/cols)*0.11)
	}
	for i := range y.Data {
		r := x.Row(i)
		y.Data[i] = 3*r[0] - 2*r[1]*r[2] + math.Sin(4*r[3]) + 0.1*math.Cos(float64(i))
	}
	hp := algorithms.Hyperparams{"n_estimators": 100.0, "max_depth": 5.0}
	xgb := train(b, algXGBoost, algorithms.Regression, dataset{x: x, y: y}, hp)
	native, err := boosting.Fit(context.Background(), boosting.GradientBoostingTrees, algorithms.Regression, x, y, hp)
	if err != nil {
		b.Fatal(err)
	}
	reference, err := newReferenceBooster(unwrap(xgb).blobs[0], true)
	if err != nil {
		b.Fatal(err)
	}
	defer reference.free()
	one := make([]float64, 1)
	perRow := func(predict func(row []float64)) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				predict(x.Data[i*cols : (i+1)*cols])
				i = (i + 1) % rows
			}
		}
	}
	b.Run("xgboost_native", perRow(func(row []float64) { xgb.Predict(one, row) }))
	b.Run("boosting_native", perRow(func(row []float64) { native.Predict(one, row) }))
	b.Run("libxgboost", perRow(func(row []float64) {
		if err := reference.predictRaw(one, row, 1, cols, nil); err != nil {
			b.Fatal(err)
		}
	}))
}
