package decomposition

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/pgml-go/pgml/algorithms"
)

// PCAName is the registry name of PCA.
const PCAName = "pca"

// PCA is a fitted sklearn.decomposition.PCA.
type PCA struct {
	numFeatures       int
	mean              []float64 // per feature
	components        []float64 // numComponents rows of numFeatures values
	explainedVariance []float64 // per component
	varianceRatio     []float64 // per component
	whiten            bool
}

// FitPCA finds the principal components of the rows of x.
func FitPCA(ctx context.Context, x algorithms.Matrix, hp algorithms.Hyperparams) (*PCA, error) {
	cfg, err := parsePCA(hp)
	if err != nil {
		return nil, err
	}
	if err := x.Validate("x"); err != nil {
		return nil, err
	}
	n, p := x.Rows, x.Cols
	if n < 2 {
		return nil, fmt.Errorf("PCA needs at least 2 rows to estimate variances, got %d", n)
	}
	rank := min(n, p)
	if cfg.components.count > rank {
		return nil, fmt.Errorf("n_components=%d must be at most min(rows, features) = %d", cfg.components.count, rank)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	mean := make([]float64, p)
	for i := 0; i < n; i++ {
		for j, v := range x.Row(i) {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	centred := mat.NewDense(n, p, nil)
	for i := 0; i < n; i++ {
		row := centred.RawRowView(i)
		for j, v := range x.Row(i) {
			row[j] = v - mean[j]
		}
	}
	var svd mat.SVD
	if !svd.Factorize(centred, mat.SVDThin) {
		return nil, fmt.Errorf("PCA: the singular value decomposition did not converge")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	values := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)

	variance := make([]float64, rank)
	total := 0.0
	for i, s := range values {
		variance[i] = s * s / float64(n-1)
		total += variance[i]
	}
	ratio := make([]float64, rank)
	for i := range ratio {
		if total > 0 { // identical rows have no variance to share out
			ratio[i] = variance[i] / total
		}
	}
	k := keptComponents(cfg.components, ratio)

	m := &PCA{
		numFeatures:       p,
		mean:              mean,
		components:        make([]float64, k*p),
		explainedVariance: variance[:k:k],
		varianceRatio:     ratio[:k:k],
		whiten:            cfg.whiten,
	}
	for c := 0; c < k; c++ {
		sign := flipSign(&u, c)
		for j := 0; j < p; j++ {
			m.components[c*p+j] = sign * v.At(j, c)
		}
	}
	return m, nil
}

// keptComponents is the number of components n_components asks for; a
// fraction keeps the fewest components whose cumulative explained variance
// ratio exceeds it, as sklearn's searchsorted(side="right") + 1.
func keptComponents(c componentCount, ratio []float64) int {
	switch {
	case c.count > 0:
		return c.count
	case c.fraction > 0:
		cumulative := 0.0
		for i, r := range ratio {
			cumulative += r
			if cumulative > c.fraction {
				return i + 1
			}
		}
	}
	return len(ratio)
}

// flipSign is sklearn's svd_flip with u_based_decision: the sign that makes
// the largest-magnitude entry of column c of u positive (the first one on
// ties, as numpy's argmax), which makes the components deterministic.
func flipSign(u *mat.Dense, c int) float64 {
	rows, _ := u.Dims()
	best, bestAbs := 0.0, -1.0
	for i := 0; i < rows; i++ {
		if a := math.Abs(u.At(i, c)); a > bestAbs {
			best, bestAbs = u.At(i, c), a
		}
	}
	if best < 0 {
		return -1
	}
	return 1
}

// Algorithm returns PCAName.
func (m *PCA) Algorithm() string { return PCAName }

func (m *PCA) Task() algorithms.Task { return algorithms.Decomposition }

// NumFeatures is the number of features per input row.
func (m *PCA) NumFeatures() int { return m.numFeatures }

// NumOutputs is the number of components, the values Predict writes per row.
func (m *PCA) NumOutputs() int { return len(m.explainedVariance) }

// NumComponents is the number of components kept.
func (m *PCA) NumComponents() int { return len(m.explainedVariance) }

// Components returns a copy of the principal axes, one per row.
func (m *PCA) Components() algorithms.Matrix {
	return algorithms.Matrix{Rows: m.NumComponents(), Cols: m.numFeatures, Data: append([]float64(nil), m.components...)}
}

// Mean returns a copy of the per-feature training mean.
func (m *PCA) Mean() []float64 { return append([]float64(nil), m.mean...) }

// ExplainedVariance returns a copy of the variance along each component.
func (m *PCA) ExplainedVariance() []float64 { return append([]float64(nil), m.explainedVariance...) }

// ExplainedVarianceRatio returns a copy of the fraction of the total
// variance along each component.
func (m *PCA) ExplainedVarianceRatio() []float64 { return append([]float64(nil), m.varianceRatio...) }

// Predict is Transform, so that PCA satisfies algorithms.Model.
func (m *PCA) Predict(dst, x []float64) { m.Transform(dst, x) }

// Transform projects each row of x, centred by the training mean, onto the
// components and writes NumComponents values per row into dst; with whiten
// the projections are divided by the square root of the explained variance.
func (m *PCA) Transform(dst, x []float64) {
	p, k := m.numFeatures, m.NumComponents()
	if len(x)%p != 0 || len(dst) != len(x)/p*k {
		panic(fmt.Sprintf("decomposition: Transform of %d values into %d (%d features, %d components)", len(x), len(dst), p, k))
	}
	centred := make([]float64, p)
	for i := 0; i < len(x)/p; i++ {
		for j, v := range x[i*p : (i+1)*p] {
			centred[j] = v - m.mean[j]
		}
		for c := 0; c < k; c++ {
			s := 0.0
			for j, w := range m.components[c*p : (c+1)*p] {
				s += w * centred[j]
			}
			if m.whiten {
				s = whitened(s, m.explainedVariance[c])
			}
			dst[i*k+c] = s
		}
	}
}

// whitened scales a projection to unit variance. A component without
// variance maps to 0 rather than sklearn's inf or NaN, so predictions stay
// finite.
func whitened(projection, variance float64) float64 {
	if variance == 0 {
		return 0
	}
	return projection / math.Sqrt(variance)
}
