package native

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/linear"
)

func init() {
	register(linear.Name, algorithms.Regression,
		func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return linear.FitOLS(ctx, x, y, hp)
		},
		func(b []byte) (algorithms.Model, error) { return linear.UnmarshalRegression(b) },
		func(rows, cols, outputs int, hp algorithms.Hyperparams) (int64, error) {
			return linear.EstimateOLS(rows, cols, outputs, hp)
		})
	register(linear.Name, algorithms.Classification,
		func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return linear.FitLogistic(ctx, x, y, hp)
		},
		func(b []byte) (algorithms.Model, error) { return linear.UnmarshalLogistic(b) },
		func(rows, cols, classes int, hp algorithms.Hyperparams) (int64, error) {
			return linear.EstimateLogistic(rows, cols, classes, hp)
		})
}
