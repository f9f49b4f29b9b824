package cluster

import (
	"context"
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// centroids is the fitted state both k-means estimators share: predicting
// only needs the centres.
type centroids struct {
	numFeatures int
	centres     []float64 // numClusters rows of numFeatures values
	inertia     float64
}

// NumFeatures is the number of features per row.
func (m *centroids) NumFeatures() int { return m.numFeatures }

// NumOutputs is 1: the cluster index.
func (m *centroids) NumOutputs() int { return 1 }

func (m *centroids) Task() algorithms.Task { return algorithms.Clustering }

// NumClusters is the number of centres.
func (m *centroids) NumClusters() int { return len(m.centres) / m.numFeatures }

// Centres returns a copy of the cluster centres, row-major.
func (m *centroids) Centres() algorithms.Matrix {
	return algorithms.Matrix{Rows: m.NumClusters(), Cols: m.numFeatures, Data: append([]float64(nil), m.centres...)}
}

// Inertia is the sum of squared distances from the training rows to their
// nearest centre.
func (m *centroids) Inertia() float64 { return m.inertia }

// Predict writes the index of the nearest centre of each row of x into dst.
func (m *centroids) Predict(dst, x []float64) {
	p := m.numFeatures
	if len(x) != len(dst)*p {
		panic(fmt.Sprintf("cluster: Predict of %d values into %d rows of %d features", len(x), len(dst), p))
	}
	for i := range dst {
		c, _ := nearestCentre(x[i*p:(i+1)*p], m.centres)
		dst[i] = float64(c)
	}
}

// Transform writes the euclidean distance from each row of x to every
// centre into dst (NumClusters values per row), like sklearn's transform.
func (m *centroids) Transform(dst, x []float64) {
	p, k := m.numFeatures, m.NumClusters()
	if len(x)%p != 0 || len(dst) != len(x)/p*k {
		panic(fmt.Sprintf("cluster: Transform of %d values into %d (%d features, %d clusters)", len(x), len(dst), p, k))
	}
	for i := 0; i < len(x)/p; i++ {
		row := x[i*p : (i+1)*p]
		for c := 0; c < k; c++ {
			dst[i*k+c] = math.Sqrt(squaredDistance(row, m.centres[c*p:(c+1)*p]))
		}
	}
}

// scaledTolerance is sklearn's _tolerance: tol times the mean variance of
// the features, so that tol does not depend on the scale of the data.
func scaledTolerance(ctx context.Context, x algorithms.Matrix, tol float64) (float64, error) {
	if tol == 0 {
		return 0, nil
	}
	n, p := x.Rows, x.Cols
	means, err := algorithms.ColumnMeans(ctx, x)
	if err != nil {
		return 0, err
	}
	check := cancel.New(ctx)
	total := 0.0
	for i := 0; i < n; i++ {
		if err := check.Add(p); err != nil {
			return 0, err
		}
		for j, v := range x.Row(i) {
			d := v - means[j]
			total += d * d
		}
	}
	return total / float64(n) / float64(p) * tol, nil
}

// checkTrainingData refuses what k-means cannot cluster: besides the usual checks, values so
// large that squared distances and their sum over the rows overflow double precision (a
// numeric 1e300 is finite, its square is not), which would leave no centre to choose.
func checkTrainingData(ctx context.Context, x algorithms.Matrix, k int) error {
	if err := x.Validate("x"); err != nil {
		return err
	}
	if err := checkClusters(k, x.Rows); err != nil {
		return err
	}
	limit := math.Sqrt(math.MaxFloat64 / (4 * float64(x.Rows) * float64(x.Cols)))
	check := cancel.New(ctx)
	for i := 0; i < x.Rows; i++ {
		if err := check.Add(x.Cols); err != nil {
			return err
		}
		for j, v := range x.Row(i) {
			if math.Abs(v) > limit {
				return fmt.Errorf("feature %d of row %d is %g: k-means on %d rows × %d features needs values within ±%.3g, or its squared distances overflow; "+
					"scale the features (preprocess with \"scale\": \"standard\")", j+1, i+1, v, x.Rows, x.Cols, limit)
			}
		}
	}
	return nil
}

// checkClusters refuses fewer than one cluster, or more than rows.
func checkClusters(k, rows int) error {
	if k < 1 || k > rows {
		return fmt.Errorf("hyperparameter \"n_clusters\" must be between 1 and %d (the training rows), got %d", rows, k)
	}
	return nil
}
