package penalized

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
)

// FitLasso fits sklearn's Lasso: the elastic net with l1_ratio = 1, i.e.
// 1/(2n)·||y − Xw − b||² + alpha·||w||₁, by coordinate descent, each column
// of y on its own.
func FitLasso(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Regressor, error) {
	if err := hp.CheckKeys(LassoHyperparams...); err != nil {
		return nil, err
	}
	return fitElasticNet(ctx, LassoName, x, y, hp, 1)
}
