package algorithms

import (
	"context"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// PredictContext is Predict over many rows that stops once ctx is done: the
// rows go to m in chunks sized by their cost (cancel.Chunks), so scoring a
// test set of millions of rows, or a few rows of an expensive model, gives
// the backend back within milliseconds of a cancel.
// A model with its own PredictContext (one row can take long: knn's brute force) is asked
// to stop by itself.
func PredictContext(ctx context.Context, m Model, dst, x []float64) error {
	if own, ok := m.(interface {
		PredictContext(ctx context.Context, dst, x []float64) error
	}); ok {
		return own.PredictContext(ctx, dst, x)
	}
	return predictChunks(ctx, m, m.NumOutputs(), dst, x, m.Predict)
}

// PredictProbaContext is PredictProba in chunks that stops once ctx is done.
func PredictProbaContext(ctx context.Context, c Classifier, dst, x []float64) error {
	if own, ok := c.(interface {
		PredictProbaContext(ctx context.Context, dst, x []float64) error
	}); ok {
		return own.PredictProbaContext(ctx, dst, x)
	}
	return predictChunks(ctx, c, len(c.Classes()), dst, x, c.PredictProba)
}

func predictChunks(ctx context.Context, m Model, perRow int, dst, x []float64, predict func(dst, x []float64)) error {
	rows, err := checkShapes(m, len(dst), len(x), perRow)
	if err != nil {
		return err
	}
	p := m.NumFeatures()
	return cancel.Chunks(ctx, rows, func(lo, hi int) error {
		predict(dst[lo*perRow:hi*perRow], x[lo*p:hi*p])
		return nil
	})
}
