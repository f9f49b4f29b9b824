package penalized

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
)

// FitSGDRegressor fits sklearn's SGDRegressor (squared error, L2 penalty,
// inverse-scaling step size by default). sklearn takes a single target;
// here each column of y gets its own independent SGD run, so joint
// regression works, with the same result for one column.
func FitSGDRegressor(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Regressor, error) {
	params, err := parseSGD(hp, algorithms.Regression)
	if err != nil {
		return nil, err
	}
	if err := algorithms.CheckXY(x, y); err != nil {
		return nil, err
	}
	m := newRegressor(StochasticGradientDescentName, x.Cols, y.Cols)
	for o := 0; o < y.Cols; o++ {
		w, b, err := plainSGD(ctx, x, column(y, o), params, uint64(o))
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, fmt.Errorf("%s: training cancelled: %w", StochasticGradientDescentName, ctxErr)
			}
			return nil, fmt.Errorf("%s: %w", StochasticGradientDescentName, err)
		}
		copy(m.Coef(o), w)
		m.intercept[o] = b
	}
	return m, nil
}
