package native

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cluster"
	"github.com/pgml-go/pgml/algorithms/decomposition"
)

// Unsupervised algorithms ignore y (it has no columns).
func init() {
	register(cluster.KMeansName, algorithms.Clustering,
		func(ctx context.Context, x, _ algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return asModel(cluster.FitKMeans(ctx, x, hp))
		},
		func(b []byte) (algorithms.Model, error) { return asModel(cluster.UnmarshalKMeans(b)) },
		func(rows, cols, _ int, hp algorithms.Hyperparams) (int64, error) {
			return cluster.EstimateKMeans(rows, cols, hp)
		})
	register(cluster.MiniBatchKMeansName, algorithms.Clustering,
		func(ctx context.Context, x, _ algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return asModel(cluster.FitMiniBatchKMeans(ctx, x, hp))
		},
		func(b []byte) (algorithms.Model, error) { return asModel(cluster.UnmarshalMiniBatchKMeans(b)) },
		func(rows, cols, _ int, hp algorithms.Hyperparams) (int64, error) {
			return cluster.EstimateMiniBatchKMeans(rows, cols, hp)
		})
	register(decomposition.PCAName, algorithms.Decomposition,
		func(ctx context.Context, x, _ algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return asModel(decomposition.FitPCA(ctx, x, hp))
		},
		func(b []byte) (algorithms.Model, error) { return asModel(decomposition.UnmarshalPCA(b)) },
		func(rows, cols, _ int, hp algorithms.Hyperparams) (int64, error) {
			return decomposition.EstimatePCA(rows, cols, hp)
		})
}
