package native

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/forest"
)

func init() {
	for _, kind := range []forest.Kind{forest.RandomForest, forest.ExtraTrees} {
		register(kind.Name(), algorithms.Regression,
			func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
				return asModel(forest.FitRegressor(ctx, kind, x, y, hp))
			},
			func(b []byte) (algorithms.Model, error) { return asModel(forest.UnmarshalRegressor(kind, b)) },
			func(rows, cols, outputs int, hp algorithms.Hyperparams) (int64, error) {
				return forest.EstimateFit(kind, algorithms.Regression, rows, cols, outputs, hp)
			})
		register(kind.Name(), algorithms.Classification,
			func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
				return asModel(forest.FitClassifier(ctx, kind, x, y, hp))
			},
			func(b []byte) (algorithms.Model, error) { return asModel(forest.UnmarshalClassifier(kind, b)) },
			func(rows, cols, classes int, hp algorithms.Hyperparams) (int64, error) {
				return forest.EstimateFit(kind, algorithms.Classification, rows, cols, classes, hp)
			})
	}
}

// asModel returns a nil interface on error: returning a nil *Regressor as an
// algorithms.Model would make a non-nil interface that panics when used.
func asModel[M algorithms.Model](m M, err error) (algorithms.Model, error) {
	if err != nil {
		return nil, err
	}
	return m, nil
}
