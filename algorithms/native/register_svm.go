package native

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/svm"
)

func init() {
	register(svm.Name, algorithms.Regression,
		func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return svm.FitSVR(ctx, x, y, hp)
		},
		func(b []byte) (algorithms.Model, error) { return svm.UnmarshalRegressor(b) },
		func(rows, cols, outputs int, hp algorithms.Hyperparams) (int64, error) {
			return svm.EstimateFit(algorithms.Regression, rows, cols, outputs, hp)
		})
	register(svm.Name, algorithms.Classification,
		func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return svm.FitSVC(ctx, x, y, hp)
		},
		func(b []byte) (algorithms.Model, error) { return svm.UnmarshalClassifier(b) },
		func(rows, cols, classes int, hp algorithms.Hyperparams) (int64, error) {
			return svm.EstimateFit(algorithms.Classification, rows, cols, classes, hp)
		})
}
