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
		func(b []byte) (algorithms.Model, error) { return neighbors.UnmarshalRegressor(b) },
		estimateNeighbors)
	register(neighbors.Name, algorithms.Classification,
		func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return neighbors.FitClassifier(ctx, x, y, hp)
		},
		func(b []byte) (algorithms.Model, error) { return neighbors.UnmarshalClassifier(b) },
		estimateNeighbors)
}

// estimateNeighbors bounds what knn allocates beyond x and y: the model
// keeps a copy of x (8·n·p bytes) and of the labels or targets, and a
// spatial index over the rows (row order and node bounds, at most two copies
// of x's size and a few words per row, whatever the tree kind); the labels'
// sorted copy and class indices (16·n).
func estimateNeighbors(rows, cols, outputs int, hp algorithms.Hyperparams) (int64, error) {
	n, p, k := int64(rows), int64(cols), int64(max(outputs, 1))
	return 3*8*n*p + 8*n*k + 48*n + 4096, nil
}
