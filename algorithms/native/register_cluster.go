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
		func(b []byte) (algorithms.Model, error) { return asModel(cluster.UnmarshalKMeans(b)) })
	register(cluster.MiniBatchKMeansName, algorithms.Clustering,
		func(ctx context.Context, x, _ algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return asModel(cluster.FitMiniBatchKMeans(ctx, x, hp))
		},
		func(b []byte) (algorithms.Model, error) { return asModel(cluster.UnmarshalMiniBatchKMeans(b)) })
	register(decomposition.PCAName, algorithms.Decomposition,
		func(ctx context.Context, x, _ algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
			return asModel(decomposition.FitPCA(ctx, x, hp))
		},
		func(b []byte) (algorithms.Model, error) { return asModel(decomposition.UnmarshalPCA(b)) })
}
