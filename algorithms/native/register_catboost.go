package native

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/catboost"
)

func init() {
	for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification} {
		register(catboost.Algorithm, task,
			func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
				return catboost.Fit(ctx, task, x, y, hp)
			},
			func(b []byte) (algorithms.Model, error) { return catboost.Unmarshal(task, b) },
			func(rows, cols, outputs int, hp algorithms.Hyperparams) (int64, error) {
				return catboost.EstimateFit(task, rows, cols, outputs, hp)
			})
	}
}
