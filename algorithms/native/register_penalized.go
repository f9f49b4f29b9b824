package native

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/penalized"
)

type penalizedRegression func(context.Context, algorithms.Matrix, algorithms.Matrix, algorithms.Hyperparams) (*penalized.Regressor, error)

type penalizedClassification func(context.Context, algorithms.Matrix, algorithms.Matrix, algorithms.Hyperparams) (*penalized.Classifier, error)

func init() {
	regressors := map[string]penalizedRegression{
		penalized.RidgeName:                     penalized.FitRidge,
		penalized.LassoName:                     penalized.FitLasso,
		penalized.ElasticNetName:                penalized.FitElasticNet,
		penalized.StochasticGradientDescentName: penalized.FitSGDRegressor,
		penalized.LinearSVMName:                 penalized.FitLinearSVR,
	}
	for name, fit := range regressors {
		register(name, algorithms.Regression,
			func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
				return fit(ctx, x, y, hp)
			},
			func(b []byte) (algorithms.Model, error) { return penalized.UnmarshalRegressor(name, b) },
			func(rows, cols, outputs int, hp algorithms.Hyperparams) (int64, error) {
				return penalized.EstimateFit(name, algorithms.Regression, rows, cols, outputs, hp)
			})
	}
	// Lasso and ElasticNet are regression only, as in sklearn.
	classifiers := map[string]penalizedClassification{
		penalized.RidgeName:                     penalized.FitRidgeClassifier,
		penalized.StochasticGradientDescentName: penalized.FitSGDClassifier,
		penalized.LinearSVMName:                 penalized.FitLinearSVC,
	}
	for name, fit := range classifiers {
		register(name, algorithms.Classification,
			func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
				return fit(ctx, x, y, hp)
			},
			func(b []byte) (algorithms.Model, error) { return penalized.UnmarshalClassifier(name, b) },
			func(rows, cols, classes int, hp algorithms.Hyperparams) (int64, error) {
				return penalized.EstimateFit(name, algorithms.Classification, rows, cols, classes, hp)
			})
	}
}
