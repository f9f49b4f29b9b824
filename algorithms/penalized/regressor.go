package penalized

import (
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// Regressor is a fitted linear regression y = Coef·x + Intercept per
// output, whichever penalty and solver produced it.
type Regressor struct {
	name        string
	numFeatures int
	numOutputs  int
	// coef is numOutputs×numFeatures, row-major, like sklearn's coef_.
	coef      []float64
	intercept []float64
}

func newRegressor(name string, numFeatures, numOutputs int) *Regressor {
	return &Regressor{
		name: name, numFeatures: numFeatures, numOutputs: numOutputs,
		coef: make([]float64, numOutputs*numFeatures), intercept: make([]float64, numOutputs),
	}
}

func (m *Regressor) Algorithm() string     { return m.name }
func (m *Regressor) Task() algorithms.Task { return algorithms.Regression }
func (m *Regressor) NumFeatures() int      { return m.numFeatures }
func (m *Regressor) NumOutputs() int       { return m.numOutputs }

// Coef returns the weights of output o (sklearn's coef_[o]).
func (m *Regressor) Coef(o int) []float64 {
	p := m.numFeatures
	return m.coef[o*p : (o+1)*p : (o+1)*p]
}

// Intercept returns sklearn's intercept_[o].
func (m *Regressor) Intercept(o int) float64 { return m.intercept[o] }

// Predict implements algorithms.Model.
func (m *Regressor) Predict(dst, x []float64) {
	p, k := m.numFeatures, m.numOutputs
	rows := len(x) / p
	if rows*p != len(x) || len(dst) != rows*k {
		panic(fmt.Sprintf("%s: Predict with %d values for %d features into %d outputs", m.name, len(x), p, len(dst)))
	}
	for i := 0; i < rows; i++ {
		row := x[i*p : (i+1)*p]
		for o := 0; o < k; o++ {
			dst[i*k+o] = m.intercept[o] + dot(m.coef[o*p:(o+1)*p], row)
		}
	}
}

// MarshalBinary implements algorithms.Model.
func (m *Regressor) MarshalBinary() ([]byte, error) {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: m.name, Task: algorithms.Regression})
	e.Uint32(uint32(m.numFeatures))
	e.Uint32(uint32(m.numOutputs))
	e.Float64s(m.coef)
	e.Float64s(m.intercept)
	return e.Bytes(), nil
}

// UnmarshalRegressor decodes the payload that Regressor.MarshalBinary wrote
// after a header naming algorithm.
func UnmarshalRegressor(algorithm string, payload []byte) (*Regressor, error) {
	if !isName(algorithm) {
		return nil, fmt.Errorf("penalized: unknown algorithm %q", algorithm)
	}
	d := modelfile.NewDecoder(payload)
	m := &Regressor{
		name:        algorithm,
		numFeatures: int(d.Uint32()),
		numOutputs:  int(d.Uint32()),
		coef:        d.Float64s(),
		intercept:   d.Float64s(),
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%s regression payload: %w", algorithm, err)
	}
	// Dividing rather than multiplying keeps corrupt sizes from overflowing.
	if m.numFeatures < 1 || m.numOutputs < 1 || len(m.intercept) != m.numOutputs ||
		len(m.coef)%m.numOutputs != 0 || len(m.coef)/m.numOutputs != m.numFeatures {
		return nil, fmt.Errorf("%s regression payload: inconsistent sizes (%d features, %d outputs, %d coefficients, %d intercepts)",
			algorithm, m.numFeatures, m.numOutputs, len(m.coef), len(m.intercept))
	}
	return m, nil
}
