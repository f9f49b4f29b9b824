package forest

import (
	"context"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// BenchmarkFitRandomForest100kx20 is the size the package is tuned for:
// 100,000 rows × 20 features, ten unlimited trees on all features.
func BenchmarkFitRandomForest100kx20(b *testing.B) {
	benchmarkFit(b, RandomForest, 100_000, 20)
}

func BenchmarkFitExtraTrees100kx20(b *testing.B) {
	benchmarkFit(b, ExtraTrees, 100_000, 20)
}

func benchmarkFit(b *testing.B, kind Kind, rows, cols int) {
	x, y := syntheticRegression(rows, cols, 1)
	hp := algorithms.Hyperparams{"n_estimators": 10.0, "random_state": 0.0}
	for b.Loop() {
		if _, err := FitRegressor(context.Background(), kind, x, y, hp); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPredictOneRow100TreesDepth10 times one row through 100 trees of
// depth 10, the unit of work of a pgml.predict call.
func BenchmarkPredictOneRow100TreesDepth10(b *testing.B) {
	x, y := syntheticRegression(20_000, 20, 2)
	m, err := FitRegressor(context.Background(), RandomForest, x, y,
		algorithms.Hyperparams{"n_estimators": 100.0, "max_depth": 10.0, "random_state": 0.0})
	if err != nil {
		b.Fatal(err)
	}
	row := x.Row(3)
	dst := make([]float64, 1)
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(dst, row)
	}
}

func BenchmarkPredictClassOneRow100TreesDepth10(b *testing.B) {
	x, y := syntheticRegression(20_000, 20, 2)
	for i, v := range y.Data { // three classes
		switch {
		case v > 2:
			y.Data[i] = 2
		case v > 0:
			y.Data[i] = 1
		default:
			y.Data[i] = 0
		}
	}
	m, err := FitClassifier(context.Background(), RandomForest, x, y,
		algorithms.Hyperparams{"n_estimators": 100.0, "max_depth": 10.0, "random_state": 0.0})
	if err != nil {
		b.Fatal(err)
	}
	row := x.Row(3)
	dst := make([]float64, 1)
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(dst, row)
	}
}
