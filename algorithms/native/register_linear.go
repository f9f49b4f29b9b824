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
		func(b []byte) (algorithms.Model, error) { return linear.UnmarshalRegression(b) })
	register(linear.Name, algorithms.Classification,
		func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return linear.FitLogistic(ctx, x, y, hp)
		},
		func(b []byte) (algorithms.Model, error) { return linear.UnmarshalLogistic(b) })
}
