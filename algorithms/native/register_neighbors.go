package native

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/neighbors"
)

func init() {
	register(neighbors.Name, algorithms.Regression,
		func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return neighbors.FitRegressor(ctx, x, y, hp)
		},
		func(b []byte) (algorithms.Model, error) { return neighbors.UnmarshalRegressor(b) })
	register(neighbors.Name, algorithms.Classification,
		func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return neighbors.FitClassifier(ctx, x, y, hp)
		},
		func(b []byte) (algorithms.Model, error) { return neighbors.UnmarshalClassifier(b) })
}
