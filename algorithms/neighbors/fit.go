package neighbors

import (
	"context"
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// newTrainingSet validates x and y, copies x, so that later changes to the
// caller's data cannot alter the model, and builds the search index.
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
	if len(x.Data) > math.MaxUint32 || len(y.Data) > math.MaxUint32 {
		return nil, fmt.Errorf("a knn model keeps its training data, at most %d values, got %d×%d", uint32(math.MaxUint32), x.Rows, x.Cols)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: training cancelled: %w", Name, err)
	}
	s := &trainingSet{
		numFeatures: x.Cols, rows: x.Rows, x: append([]float64(nil), x.Data...),
		k: params.k, p: params.p, distanceWeights: params.distanceWeights,
		method: params.method, leafSize: params.leafSize,
	}
	if err := s.buildIndex(ctx); err != nil {
		return nil, fmt.Errorf("%s: training cancelled: %w", Name, err)
	}
	return s, nil
}

// buildIndex builds the search structure s.method resolves to, reordering
// s.x for a tree. It fails only when ctx is done.
func (s *trainingSet) buildIndex(ctx context.Context) error {
	s.tree = nil
	method := s.method.resolve(s.rows, s.numFeatures, s.k)
	if method == searchBrute {
		return nil
	}
	t, err := buildTree(ctx, s, method)
	if err != nil {
		return err
	}
	s.tree = t
	return nil
}
