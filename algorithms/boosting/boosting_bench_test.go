package boosting

import (
	"context"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// BenchmarkFit100kx20 trains the default 100 iterations of 31-leaf trees on
// 100,000 × 20 synthetic regression rows, with all available cores.
func BenchmarkFit100kx20(b *testing.B) {
	x, y := syntheticRegression(100_000, 20, 1)
	for _, algorithm := range []string{HistGradientBoosting, GradientBoostingTrees} {
		b.Run(algorithm, func(b *testing.B) {
			for b.Loop() {
				if _, err := Fit(context.Background(), algorithm, algorithms.Regression, x, y, algorithms.Hyperparams{"random_state": 0.0}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPredictOneRow100Trees predicts a single row through 100 trees of
// up to 31 leaves; ns/op is the per-row latency and must not allocate.
func BenchmarkPredictOneRow100Trees(b *testing.B) {
	x, y := syntheticRegression(20_000, 20, 2)
	m, err := Fit(context.Background(), HistGradientBoosting, algorithms.Regression, x, y, nil)
	if err != nil {
		b.Fatal(err)
	}
	row := x.Row(7)
	dst := make([]float64, 1)
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(dst, row)
	}
}
