package native

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/progress"
)

// Forests count their trees and boosting its rounds, for pgml.training_progress.
func TestFitsReportTheirProgress(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := algorithms.Matrix{Rows: 200, Cols: 3, Data: make([]float64, 600)}
	y := algorithms.Matrix{Rows: 200, Cols: 1, Data: make([]float64, 200)}
	for r := range 200 {
		for c := range 3 {
			x.Data[r*3+c] = rng.Float64()
		}
		if x.Data[r*3]+x.Data[r*3+1] > 1 {
			y.Data[r] = 1
		}
	}
	for _, c := range []struct {
		algorithm string
		hp        algorithms.Hyperparams
		unit      string
		total     int64
	}{
		{"random_forest", algorithms.Hyperparams{"n_estimators": 7.0}, "trees", 7},
		{"extra_trees", algorithms.Hyperparams{"n_estimators": 5.0}, "trees", 5},
		{"gradient_boosting_trees", algorithms.Hyperparams{"n_estimators": 6.0}, "rounds", 6},
		{"hist_gradient_boosting", algorithms.Hyperparams{"max_iter": 8.0}, "rounds", 8},
		{"catboost", algorithms.Hyperparams{"iterations": 9.0}, "rounds", 9},
	} {
		var counter progress.Counter
		if _, err := Train(progress.With(context.Background(), &counter), c.algorithm, algorithms.Classification, x, y, c.hp); err != nil {
			t.Fatalf("%s: %v", c.algorithm, err)
		}
		got := counter.Read()
		// A boosting round counts when the next one starts: the last is done when the fit returns.
		if got.Unit != c.unit || got.Total != c.total || got.Done < c.total-1 || got.Done > c.total {
			t.Errorf("%s: progress %+v, want %d %s", c.algorithm, got, c.total, c.unit)
		}
	}
}
