package cluster

import (
	"context"
	"math"
	"math/rand"

	"github.com/pgml-go/pgml/algorithms"
)

// KMeansName is the registry name of KMeans.
const KMeansName = "kmeans"

// KMeans is a fitted sklearn.cluster.KMeans.
type KMeans struct {
	centroids
	iterations int
}

// Algorithm returns KMeansName.
func (m *KMeans) Algorithm() string { return KMeansName }

// Iterations is the number of Lloyd iterations of the kept run.
func (m *KMeans) Iterations() int { return m.iterations }

// FitKMeans clusters the rows of x with Lloyd's algorithm, keeping the best
// of n_init seedings by inertia.
func FitKMeans(ctx context.Context, x algorithms.Matrix, hp algorithms.Hyperparams) (*KMeans, error) {
	cfg, err := parseKMeans(hp)
	if err != nil {
		return nil, err
	}
	if err := checkTrainingData(ctx, x, cfg.numClusters); err != nil {
		return nil, err
	}
	tol, err := scaledTolerance(ctx, x, cfg.tol)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewSource(cfg.seed))
	best := lloydResult{inertia: math.Inf(1)}
	seeding := newSeedingSpace(x.Rows)
	labels, distances := make([]int, x.Rows), make([]float64, x.Rows)
	for run := 0; run < cfg.numInit; run++ {
		centres, err := initialCentres(ctx, x, cfg.numClusters, cfg.init, rng, seeding)
		if err != nil {
			return nil, err
		}
		r, err := lloyd(ctx, x, centres, cfg.maxIter, tol, labels, distances)
		if err != nil {
			return nil, err
		}
		if r.inertia < best.inertia {
			best = r
		}
	}
	return &KMeans{
		centroids:  centroids{numFeatures: x.Cols, centres: best.centres, inertia: best.inertia},
		iterations: best.iterations,
	}, nil
}
