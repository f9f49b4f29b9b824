package decomposition

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/internal/tallqr"
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
	if err := checkComponents(cfg.components.count, n, p); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	mean, err := algorithms.ColumnMeans(ctx, x)
	if err != nil {
		return nil, err
	}
	// The centred rows are reduced to the triangular factor R of their QR
	// decomposition without a copy (package tallqr): X = Q·R, so X's
	// singular values and right singular vectors are R's.
	r, err := tallqr.Centred(ctx, x, algorithms.Matrix{Rows: n}, mean, nil)
	if err != nil {
		return nil, err
	}
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(p, p, r), mat.SVDThin) {
		return nil, fmt.Errorf("PCA: the singular value decomposition did not converge")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	values := svd.Values(nil)[:rank]
	var v mat.Dense
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
		for j := 0; j < p; j++ {
			m.components[c*p+j] = v.At(j, c)
		}
	}
	if err := m.flipSigns(ctx, x); err != nil {
		return nil, err
	}
	return m, nil
}

// flipSigns makes each component's projections largest in absolute value
// positive, as sklearn's svd_flip does with the columns of U: U's column c
// is the centred rows' projections on component c over its singular value,
// so one pass over x finds, per component, the row of largest |U| (the
// first on ties) and its sign.
func (m *PCA) flipSigns(ctx context.Context, x algorithms.Matrix) error {
	p, k := m.numFeatures, len(m.explainedVariance)
	best := make([]float64, k)
	bestAbs := make([]float64, k)
	for c := range bestAbs {
		bestAbs[c] = -1
	}
	centred := make([]float64, p)
	check := cancel.New(ctx)
	for i := 0; i < x.Rows; i++ {
		if err := check.Add(2 * p * (k + 1)); err != nil {
			return err
		}
		for j, v := range x.Row(i) {
			centred[j] = v - m.mean[j]
		}
		for c := 0; c < k; c++ {
			proj := 0.0
			for j, w := range m.components[c*p : (c+1)*p] {
				proj += w * centred[j]
			}
			if a := math.Abs(proj); a > bestAbs[c] {
				best[c], bestAbs[c] = proj, a
			}
		}
	}
	for c, b := range best {
		if b < 0 {
			for j := c * p; j < (c+1)*p; j++ {
				m.components[j] = -m.components[j]
			}
		}
	}
	return nil
}

// EstimatePCA bounds the bytes FitPCA allocates beyond x for n rows of p
// features: the streaming triangular factor, the p×p SVD (V, U and gonum's
// workspace, about 6p² values) and the model (at most p components). It
// checks the hyperparameters and n_components as the fit would.
func EstimatePCA(n, p int, hp algorithms.Hyperparams) (int64, error) {
	cfg, err := parsePCA(hp)
	if err != nil {
		return 0, err
	}
	if err := checkComponents(cfg.components.count, n, p); err != nil {
		return 0, err
	}
	p64 := int64(p)
	return tallqr.Bytes(p) + 8*(7*p64*p64+12*p64) + 64<<10, nil
}

// checkComponents refuses more components than min(rows, features).
func checkComponents(count, n, p int) error {
	if rank := min(n, p); count > rank {
		return fmt.Errorf("hyperparameter \"n_components\" must be at most min(rows, features) = %d, got %d", rank, count)
	}
	return nil
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
