package decomposition

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// The payload is the number of features, the whiten flag, then the mean,
// the components, the explained variances and their ratios as
// length-prefixed float64 arrays.

// MarshalBinary returns the modelfile encoding of m.
func (m *PCA) MarshalBinary() ([]byte, error) {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: PCAName, Task: algorithms.Decomposition})
	e.Uint32(uint32(m.numFeatures))
	whiten := uint8(0)
	if m.whiten {
		whiten = 1
	}
	e.Uint8(whiten)
	e.Float64s(m.mean)
	e.Float64s(m.components)
	e.Float64s(m.explainedVariance)
	e.Float64s(m.varianceRatio)
	return e.Bytes(), nil
}

// UnmarshalPCA decodes the payload (the bytes after the modelfile header)
// written by PCA.MarshalBinary.
func UnmarshalPCA(payload []byte) (*PCA, error) {
	d := modelfile.NewDecoder(payload)
	m := &PCA{numFeatures: int(d.Uint32())}
	whiten := d.Uint8()
	m.mean = d.Float64s()
	m.components = d.Float64s()
	m.explainedVariance = d.Float64s()
	m.varianceRatio = d.Float64s()
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%s payload: %w", PCAName, err)
	}
	if err := m.validate(whiten); err != nil {
		return nil, fmt.Errorf("%s payload: %w", PCAName, err)
	}
	return m, nil
}

func (m *PCA) validate(whiten uint8) error {
	p, k := m.numFeatures, len(m.explainedVariance)
	if p < 1 || p > math.MaxInt32 {
		return fmt.Errorf("invalid number of features %d", p)
	}
	if whiten > 1 {
		return fmt.Errorf("invalid whiten flag %d", whiten)
	}
	m.whiten = whiten == 1
	if len(m.mean) != p {
		return fmt.Errorf("%d mean values for %d features", len(m.mean), p)
	}
	if k < 1 || len(m.components) != k*p || len(m.varianceRatio) != k {
		return fmt.Errorf("%d component values, %d variances and %d ratios for %d features",
			len(m.components), k, len(m.varianceRatio), p)
	}
	for _, part := range []struct {
		name   string
		values []float64
	}{{"mean", m.mean}, {"components", m.components}, {"explained variance", m.explainedVariance}, {"variance ratio", m.varianceRatio}} {
		for i, v := range part.values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s[%d] is %v", part.name, i, v)
			}
		}
	}
	for c, v := range m.explainedVariance {
		if v < 0 {
			return fmt.Errorf("negative explained variance %v for component %d", v, c)
		}
	}
	return nil
}

// NewExported is the PCA of a scikit-learn PCA's exported mean_, components_ (row-major,
// one row per component), explained_variance_, explained_variance_ratio_ and whiten: the
// native form of a PCA trained by the python runtime (issue 11), which transforms as this
// package's own fits do. It checks the arrays as a stored model's are checked.
func NewExported(numFeatures int, mean, components, explainedVariance, varianceRatio []float64, whiten bool) (*PCA, error) {
	m := &PCA{numFeatures: numFeatures, mean: mean, components: components, explainedVariance: explainedVariance, varianceRatio: varianceRatio}
	w := uint8(0)
	if whiten {
		w = 1
	}
	if err := m.validate(w); err != nil {
		return nil, fmt.Errorf("%s: %w", PCAName, err)
	}
	return m, nil
}
