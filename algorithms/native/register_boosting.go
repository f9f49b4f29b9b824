package native

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/boosting"
)

func init() {
	for _, name := range boosting.Algorithms {
		for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification} {
			register(name, task,
				func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
					return boosting.Fit(ctx, name, task, x, y, hp)
				},
				func(b []byte) (algorithms.Model, error) { return boosting.Unmarshal(name, task, b) },
				func(rows, cols, outputs int, hp algorithms.Hyperparams) (int64, error) {
					return boosting.EstimateFit(name, task, rows, cols, outputs, hp)
				})
		}
	}
}
