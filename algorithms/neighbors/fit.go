package neighbors

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
)

// newTrainingSet validates x and y and copies x, so that later changes to
// the caller's data cannot alter the model.
func newTrainingSet(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*trainingSet, error) {
	params, err := parseHyperparams(hp)
	if err != nil {
		return nil, err
	}
	if err := x.Validate("x"); err != nil {
		return nil, err
	}
	if err := y.Validate("y"); err != nil {
		return nil, err
	}
	if x.Rows != y.Rows {
		return nil, fmt.Errorf("x has %d rows but y has %d", x.Rows, y.Rows)
	}
	if params.k > x.Rows {
		return nil, fmt.Errorf("n_neighbors = %d is more than the %d training rows", params.k, x.Rows)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: training cancelled: %w", Name, err)
	}
	return &trainingSet{
		numFeatures: x.Cols, rows: x.Rows, x: append([]float64(nil), x.Data...),
		k: params.k, p: params.p, distanceWeights: params.distanceWeights,
	}, nil
}
